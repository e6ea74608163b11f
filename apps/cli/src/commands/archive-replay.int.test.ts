import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockAdjustedV1 } from '@warren/contracts';
import { createEnvelope, eventProperties, type OutgoingMessage } from '@warren/messaging';
import { drainQueue } from '@warren/messaging/testing';
import { createTestDatabase, createTestVhost, type TestDatabase, type TestVhost } from '@warren/testing';
import { declareQueues, itemCreated, readyIds, warren } from '../cli.test-support.ts';
import { insertOutboxRows, migrateOutbox } from '@warren/operations/testing';

const queue = 'inventory.item-created';
const at = (time: string) => new Date(`2025-06-01T${time}Z`);

function stockAdjusted(): OutgoingMessage {
  const itemId = crypto.randomUUID();
  const envelope = createEnvelope({ definition: stockAdjustedV1, sourceService: 'inventory', subject: itemId, data: { adjustmentId: crypto.randomUUID(), itemId, sku: 'SKU-1', delta: 1, onHand: 1, reason: 'count', adjustedAt: new Date().toISOString() } });
  return { envelope, routingKey: stockAdjustedV1.routingKey, headers: { correlation_id: 'corr-stock', source_service: 'catalog' } };
}

describe('warren archive replay against real servers', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  const before = itemCreated();
  const first = itemCreated('corr-first');
  const otherType = stockAdjusted();
  const pending = itemCreated();
  const second = { ...itemCreated('corr-second'), headers: { correlation_id: 'corr-second', source_service: 'catalog', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } };
  const atUntil = itemCreated();
  const window = ['--service', 'catalog', '--type', 'item.created', '--since', '2025-06-01T10:15:00Z', '--until', '2025-06-01T11:00:00Z'];

  beforeAll(async () => {
    [vhost, database] = await Promise.all([createTestVhost('cli-archive'), createTestDatabase('cli_archive')]);
    await Promise.all([declareQueues(vhost, [{ queue, deliveryLimit: 20 }]), migrateOutbox(database.url)]);
    env = { AMQP_URL: vhost.url, CATALOG_DATABASE_URL: database.url };
    await insertOutboxRows(database.url, [
      { message: before, createdAt: at('10:00:00'), publishedAt: at('10:00:01') },
      { message: first, createdAt: at('10:20:00'), publishedAt: at('10:20:01') },
      { message: otherType, createdAt: at('10:25:00'), publishedAt: at('10:25:01') },
      { message: pending, createdAt: at('10:30:00'), publishedAt: null, attempts: 2, lastError: 'unroutable' },
      { message: second, createdAt: at('10:40:00'), publishedAt: at('10:40:01') },
      { message: atUntil, createdAt: at('10:59:59'), publishedAt: at('11:00:00') },
    ]);
  });
  afterAll(async () => {
    await Promise.all([vhost.delete(), database.drop()]);
  });

  it('lists the selected events on --dry-run and publishes nothing', async () => {
    const result = await warren(['archive', 'replay', ...window, '--to-queue', queue, '--dry-run'], env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const listed = result.stdout.split('\n').filter((line) => line.startsWith('would publish'));
    expect(listed).toEqual([
      expect.stringContaining(`${first.envelope.id}  item.created.v1  published 2025-06-01T10:20:01.000Z`),
      expect.stringContaining(`${second.envelope.id}  item.created.v1  published 2025-06-01T10:40:01.000Z`),
    ]);
    expect(result.stdout).toContain('dry run: 2 archived event(s)');
    expect(await readyIds(vhost, queue)).toEqual([]);
  });

  it('publishes exactly the archived rows of the type and window, in seq order, as the relay did', async () => {
    const result = await warren(['archive', 'replay', ...window, '--to-queue', queue], env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`published 2 of 2 archived event(s) of item.created published in [2025-06-01T10:15:00.000Z, 2025-06-01T11:00:00.000Z) from catalog to ${queue}`);
    const messages = await drainQueue(vhost.url, queue);
    expect(messages.map((m) => m.properties.messageId as string)).toEqual([first.envelope.id, second.envelope.id]);
    for (const [index, original] of [first, second].entries()) {
      const got = messages[index]!;
      const expected = eventProperties(original);
      expect(JSON.parse(got.body)).toEqual(original.envelope);
      expect(got.routingKey).toBe(queue);
      expect(got.properties).toMatchObject({
        messageId: expected.messageId,
        type: expected.type,
        correlationId: expected.correlationId,
        contentType: 'application/json',
        contentEncoding: 'utf-8',
        timestamp: expected.timestamp,
        appId: 'catalog',
        deliveryMode: 2,
      });
      // RabbitMQ 4 adds its own x-delivery-count to every delivery from a quorum queue.
      const { 'x-delivery-count': _broker, ...headers } = got.headers;
      expect(headers).toEqual(expected.headers);
    }
  });

  it('accepts the routing key as --type and paces publishing with --rate, reporting progress', async () => {
    const rows = Array.from({ length: 12 }, () => itemCreated());
    await insertOutboxRows(database.url, rows.map((message, i) => ({ message, createdAt: at('12:00:00'), publishedAt: new Date(at('12:00:00').getTime() + i) })));
    const started = performance.now();
    const args = ['archive', 'replay', '--service', 'catalog', '--type', 'item.created.v1', '--since', '2025-06-01T12:00', '--to-queue', queue, '--rate', '10'];
    const result = await warren(args, env);
    const elapsed = performance.now() - started;
    expect(result.code).toBe(0);
    // Twelve events at ten a second: the last may leave no sooner than 1.1 s after the first.
    expect(elapsed).toBeGreaterThanOrEqual(1_100);
    expect(result.stderr).toMatch(/^archive replay: \d+\/12 published to inventory\.item-created \(up to seq \d+\)$/m);
    expect((await drainQueue(vhost.url, queue)).map((m) => m.properties.messageId as string)).toEqual(rows.map((m) => m.envelope.id));
  });

  it('fails clearly for a queue that does not exist and publishes nothing', async () => {
    const result = await warren(['archive', 'replay', ...window, '--to-queue', 'inventory.gone'], env);
    expect(result).toEqual({ code: 1, stdout: '', stderr: `warren: queue inventory.gone does not exist in vhost ${vhost.name}\n` });
    expect(await readyIds(vhost, queue)).toEqual([]);
  });
});
