import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainQueue } from '@warren/messaging/testing';
import { createTestVhost, type TestVhost } from '@warren/testing';
import { declareQueues, itemCreated, park, readyIds, warren } from '../cli.test-support.ts';

const work = 'inventory.item-created';
const dlq = `${work}.dlq`;
const holding = 'inventory.holding';

describe('warren dlq redirect against a real RabbitMQ', () => {
  let vhost: TestVhost;
  let env: NodeJS.ProcessEnv;
  const one = itemCreated('corr-one');
  const two = itemCreated('corr-two');
  const stays = itemCreated('corr-stays');

  beforeAll(async () => {
    vhost = await createTestVhost('cli-redirect');
    env = { AMQP_URL: vhost.url };
    await declareQueues(vhost, [
      { queue: work, deliveryLimit: 20 },
      { queue: holding, deliveryLimit: 20 },
    ]);
    for (const message of [one, two, stays]) {
      await park(vhost, message, { queue: work, error: { type: 'Error', message: 'database timeout' }, attempt: 4, failedAt: new Date('2025-06-01T10:00:00.000Z') });
    }
  });
  afterAll(() => vhost.delete());

  const sorted = (values: string[]) => [...values].sort();

  it('needs --to, and a target queue that exists', async () => {
    const missingOption = await warren(['dlq', 'redirect', '--queue', dlq], env);
    expect(missingOption.code).toBe(2);
    expect(missingOption.stderr).toContain('missing --to');
    const missingQueue = await warren(['dlq', 'redirect', '--queue', dlq, '--to', 'nobody.here', '--id', one.envelope.id], env);
    expect(missingQueue).toMatchObject({ code: 1, stderr: `warren: queue nobody.here does not exist in vhost ${vhost.name}\n` });
    expect(await readyIds(vhost, dlq)).toHaveLength(3);
  });

  it('changes nothing on --dry-run', async () => {
    const result = await warren(['dlq', 'redirect', '--queue', dlq, '--to', holding, '--id', one.envelope.id, '--dry-run'], env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`would redirect  ${one.envelope.id}  item.created.v1  ${dlq} -> ${holding}`);
    expect(result.stdout).toContain(`dry run: 1 message(s) would be redirected from ${dlq} to ${holding}; nothing changed`);
    expect(await readyIds(vhost, holding)).toEqual([]);
    expect(await readyIds(vhost, dlq)).toHaveLength(3);
  });

  it('moves the given ids to the target with their id and where they came from, and leaves the rest parked', async () => {
    const result = await warren(['dlq', 'redirect', '--queue', dlq, '--to', holding, '--id', one.envelope.id, '--id', two.envelope.id], env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`redirected 2 of 2 matching message(s) from ${dlq} to ${holding}`);
    const moved = await drainQueue(vhost.url, holding);
    expect(sorted(moved.map((message) => message.properties.messageId as string))).toEqual(sorted([one.envelope.id, two.envelope.id]));
    for (const message of moved) {
      expect(message.headers).toMatchObject({ 'x-warren-redirected-from': dlq, 'x-warren-queue': work, 'x-warren-attempt': 1, 'x-warren-replay-count': 1 });
    }
    expect(await readyIds(vhost, dlq)).toEqual([stays.envelope.id]);
    expect(await readyIds(vhost, work)).toEqual([]);
  });
});
