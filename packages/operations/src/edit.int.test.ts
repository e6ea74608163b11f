import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainQueue } from '@warren/messaging/testing';
import { createTestVhost, type TestVhost } from '@warren/testing';
import { openBroker, type Broker } from './broker.ts';
import { editAndReplay } from './edit.ts';
import type { OperationsError } from './errors.ts';
import { declareQueues, itemCreated, park, readyIds } from './testing/index.ts';

const work = 'inventory.item-created';
const dlq = `${work}.dlq`;

describe('editAndReplay against a real RabbitMQ', () => {
  let vhost: TestVhost;
  let broker: Broker;
  const parked = itemCreated('corr-edit');
  const originalBody = JSON.stringify(parked.envelope);
  const data = parked.envelope.data as Record<string, unknown>;

  beforeAll(async () => {
    vhost = await createTestVhost('ops-edit');
    await declareQueues(vhost, [{ queue: work, deliveryLimit: 20 }]);
    await park(vhost, parked, { queue: work, error: { type: 'PermanentError', code: 'invalid_data', message: 'name is taken' }, attempt: 1, failedAt: new Date('2025-06-01T10:00:00.000Z') });
    broker = await openBroker(vhost.url);
  });
  afterAll(async () => {
    await broker.close();
    await vhost.delete();
  });

  it('refuses data that breaks the contract with its issues, and sends nothing', async () => {
    const refused = editAndReplay(broker, dlq, parked.envelope.id, { ...data, priceCents: 'free', sku: '' });
    await expect(refused).rejects.toMatchObject({ code: 'invalid_data' });
    const issues = await refused.catch((error: OperationsError) => error.issues);
    expect(issues).toEqual([expect.stringMatching(/^sku: /), expect.stringMatching(/^priceCents: /)]);
    expect(await readyIds(vhost, work)).toEqual([]);
    expect(await readyIds(vhost, dlq)).toEqual([parked.envelope.id]);
  });

  it('says when no message of that id is parked', async () => {
    await expect(editAndReplay(broker, dlq, 'nope', data)).rejects.toMatchObject({ code: 'message_not_found', message: `no message with id nope in ${dlq}` });
  });

  it('replays the edited envelope under the same id, marked as edited from the original, and removes the original', async () => {
    const edited = { ...data, name: 'Brass lamp' };
    const result = await editAndReplay(broker, dlq, parked.envelope.id, edited);
    const sha256 = createHash('sha256').update(originalBody).digest('hex');
    expect(result).toEqual({
      id: parked.envelope.id,
      deadLetterQueue: dlq,
      queue: work,
      originalBody,
      editedBody: JSON.stringify({ ...parked.envelope, data: edited }),
      originalSha256: sha256,
      replayCount: 1,
    });
    const [sent, ...others] = await drainQueue(vhost.url, work);
    expect(others).toEqual([]);
    expect(sent?.body).toBe(result.editedBody);
    expect(sent?.properties).toMatchObject({ messageId: parked.envelope.id, type: 'item.created.v1', correlationId: 'corr-edit' });
    expect(sent?.headers).toMatchObject({ 'x-warren-edited': true, 'x-warren-edited-from-sha256': sha256, 'x-warren-attempt': 1, 'x-warren-replay-count': 1 });
    expect(await readyIds(vhost, dlq)).toEqual([]);
  });
});
