import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockAdjustedV1 } from '@warren/contracts';
import { createEnvelope, type OutgoingMessage } from '@warren/messaging';
import { drainQueue } from '@warren/messaging/testing';
import { createTestDatabase, createTestVhost, type TestDatabase, type TestVhost } from '@warren/testing';
import { declareQueues, itemCreated, readyIds, warren } from '../cli.test-support.ts';
import { insertOutboxRows, migrateOutbox } from '@warren/operations/testing';

const minutes = (n: number) => n * 60_000;

function stockAdjusted(): OutgoingMessage {
  const itemId = crypto.randomUUID();
  const envelope = createEnvelope({ definition: stockAdjustedV1, sourceService: 'inventory', subject: itemId, data: { adjustmentId: crypto.randomUUID(), itemId, sku: 'SKU-1', delta: 1, onHand: 1, reason: 'count', adjustedAt: new Date().toISOString() } });
  return { envelope, routingKey: stockAdjustedV1.routingKey, headers: { correlation_id: 'corr-stock', source_service: 'inventory' } };
}

describe('warren recover against real servers', () => {
  let vhost: TestVhost;
  let catalog: TestDatabase;
  let inventory: TestDatabase;
  let env: NodeJS.ProcessEnv;
  // The backup was taken 30 minutes ago; the archives reach back an hour.
  const since = new Date(Date.now() - minutes(30));
  const at = (offset: number) => new Date(since.getTime() + offset);
  const oldest = itemCreated();
  const beforeMargin = itemCreated();
  const inMargin = itemCreated();
  const pending = itemCreated();
  const after = [itemCreated(), itemCreated()];
  const adjustedBefore = stockAdjusted();
  const adjustedAfter = stockAdjusted();
  const ids = (messages: readonly OutgoingMessage[]) => messages.map((message) => message.envelope.id);

  beforeAll(async () => {
    [vhost, catalog, inventory] = await Promise.all([createTestVhost('cli-recover'), createTestDatabase('cli_recover_catalog'), createTestDatabase('cli_recover_inventory')]);
    await Promise.all([
      declareQueues(vhost, [{ queue: 'audit.event-log', deliveryLimit: 20 }, { queue: 'inventory.item-created', deliveryLimit: 20 }]),
      migrateOutbox(catalog.url),
      migrateOutbox(inventory.url),
    ]);
    env = { AMQP_URL: vhost.url, CATALOG_DATABASE_URL: catalog.url, INVENTORY_DATABASE_URL: inventory.url };
    await insertOutboxRows(catalog.url, [
      { message: oldest, createdAt: at(-minutes(30)), publishedAt: at(-minutes(30)) },
      { message: beforeMargin, createdAt: at(-minutes(6)), publishedAt: at(-minutes(6)) },
      { message: inMargin, createdAt: at(-minutes(4)), publishedAt: at(-minutes(4)) },
      { message: pending, createdAt: at(minutes(1)), publishedAt: null, attempts: 1, lastError: 'unroutable' },
      ...after.map((message, index) => ({ message, createdAt: at(minutes(2 + index)), publishedAt: at(minutes(2 + index)) })),
    ]);
    await insertOutboxRows(inventory.url, [
      { message: adjustedBefore, createdAt: at(-minutes(20)), publishedAt: at(-minutes(20)) },
      { message: adjustedAfter, createdAt: at(minutes(5)), publishedAt: at(minutes(5)) },
    ]);
  });
  afterAll(async () => {
    await Promise.all([vhost.delete(), catalog.drop(), inventory.drop()]);
  });

  it('says per queue and producer what it would send on --dry-run, and publishes nothing', async () => {
    const result = await warren(['recover', '--service', 'audit', '--since', since.toISOString(), '--dry-run'], env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^audit\.event-log +catalog +item\.created\.v1\S* +\S+ +3$/m);
    expect(result.stdout).toMatch(/^audit\.event-log +inventory +stock\.adjusted\.v1 +\S+ +1$/m);
    expect(result.stdout).toContain("dry run: 4 archived event(s) would be re-published to audit's queue(s); nothing published");
    expect(await readyIds(vhost, 'audit.event-log')).toEqual([]);
  });

  it('re-publishes every event the queue takes since --since minus the margin, from each producer, with its message id', async () => {
    const result = await warren(['recover', '--service', 'audit', '--since', since.toISOString()], env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^audit\.event-log +catalog +\S+ +\S+ +3 +3$/m);
    expect(result.stdout).toContain("re-published 4 of 4 archived event(s) to audit's queue(s)");
    const messages = await drainQueue(vhost.url, 'audit.event-log');
    expect(messages.map((message) => message.properties.messageId as string)).toEqual([...ids([inMargin, ...after]), adjustedAfter.envelope.id]);
    expect(JSON.parse(messages[0]!.body)).toEqual(inMargin.envelope);
  });

  it('sends a consumer of one event type only that type, and nothing to other queues', async () => {
    const result = await warren(['recover', '--service', 'inventory', '--since', since.toISOString()], env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).not.toContain('inventory  stock.adjusted');
    expect((await drainQueue(vhost.url, 'inventory.item-created')).map((message) => message.properties.messageId as string)).toEqual(ids([inMargin, ...after]));
    expect(await readyIds(vhost, 'audit.event-log')).toEqual([]);
  });

  it('refuses a --since older than a producer archive, naming where it starts, and publishes nothing', async () => {
    const result = await warren(['recover', '--service', 'inventory', '--since', at(-minutes(45)).toISOString()], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`is older than catalog's archive, which starts at ${at(-minutes(30)).toISOString()}`);
    expect(result.stderr).toContain('cannot be recovered');
    expect(await readyIds(vhost, 'inventory.item-created')).toEqual([]);
  });
});
