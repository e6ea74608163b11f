import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemCreatedV1 } from '@warren/contracts';
import { createEnvelope, type ConsumedMessage } from '@warren/messaging';
import { createServiceTestContext, type ServiceTestContext } from '@warren/service/testing';
import { createApp } from './app.ts';
import { itemCreatedConsumer } from './handlers/item-created.ts';

const migrations = fileURLToPath(new URL('./db/migrations', import.meta.url));

function itemCreated(itemId: string, sku: string): ConsumedMessage {
  const envelope = createEnvelope({
    definition: itemCreatedV1,
    sourceService: 'catalog',
    subject: itemId,
    data: { id: itemId, name: 'Chair', sku, priceCents: 4999, createdAt: new Date().toISOString() },
  });
  return { envelope, headers: {}, correlationId: 'corr', queue: 'inventory.item-created', routingKey: 'item.created.v1', redelivered: false, attempt: 1 };
}

describe('inventory', () => {
  let context: ServiceTestContext;
  let app: ReturnType<typeof createApp>;
  const itemId = crypto.randomUUID();

  beforeAll(async () => {
    context = await createServiceTestContext('inventory', migrations);
    app = createApp(context.deps);
  });
  afterAll(() => context.close());

  const adjust = (body: unknown, key: string, id = itemId) =>
    app.request(`/api/v1/stock/${id}/adjustments`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'idempotency-key': key, 'x-request-id': `req-${key}` },
    });

  it('opens stock at 0 from item.created, once however often the event is delivered', async () => {
    const consumer = itemCreatedConsumer(context.deps);
    const message = itemCreated(itemId, 'CHAIR-1');
    await consumer.handle(message);
    await consumer.handle(message);
    await Promise.all([consumer.handle(message), consumer.handle(message)]);
    const response = await app.request(`/api/v1/stock/${itemId}`);
    expect(await response.json()).toEqual({ itemId, sku: 'CHAIR-1', onHand: 0 });
    const [inbox] = await context.sql<{ count: string }[]>`select count(*) from inbox_messages`;
    expect(inbox?.count).toBe('1');
  });

  it('adjusts stock and writes stock.adjusted in the same transaction', async () => {
    const response = await adjust({ delta: 7, reason: 'delivery' }, 'adj-1');
    expect(response.status).toBe(201);
    const adjustment = (await response.json()) as { id: string; onHand: number };
    expect(adjustment).toMatchObject({ itemId, delta: 7, reason: 'delivery', onHand: 7 });
    const [event] = await context.sql<{ routing_key: string; envelope: { data: Record<string, unknown> }; headers: Record<string, unknown> }[]>`
      select routing_key, envelope, headers from outbox_messages`;
    expect(event?.routing_key).toBe('stock.adjusted.v1');
    expect(event?.envelope.data).toMatchObject({ adjustmentId: adjustment.id, itemId, sku: 'CHAIR-1', delta: 7, onHand: 7 });
    expect(event?.headers).toMatchObject({ correlation_id: 'req-adj-1', idempotency_key: 'adj-1' });
  });

  it('refuses to go below zero with a 409 problem, and changes nothing', async () => {
    const response = await adjust({ delta: -8, reason: 'shipped' }, 'adj-2');
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ type: 'urn:warren:problem:insufficient_stock' });
    const [row] = await context.sql<{ on_hand: number }[]>`select on_hand from stock where item_id = ${itemId}`;
    expect(row?.on_hand).toBe(7);
    const [events] = await context.sql<{ count: string }[]>`select count(*) from outbox_messages`;
    expect(events?.count).toBe('1');
  });

  it('answers 404 for an item it has no stock for, and 400 for a zero delta', async () => {
    expect((await adjust({ delta: 1, reason: 'x' }, 'adj-3', crypto.randomUUID())).status).toBe(404);
    expect((await adjust({ delta: 0, reason: 'x' }, 'adj-4')).status).toBe(400);
    expect((await app.request(`/api/v1/stock/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it('carries a quoted Idempotency-Key into stock.adjusted without its quotes', async () => {
    const response = await app.request(`/api/v1/stock/${itemId}/adjustments`, {
      method: 'POST',
      body: JSON.stringify({ delta: 1, reason: 'recount' }),
      headers: { 'content-type': 'application/json', 'idempotency-key': '"adj-quoted"', 'x-request-id': 'req-quoted' },
    });
    expect(response.status).toBe(201);
    const [event] = await context.sql<{ headers: Record<string, unknown> }[]>`
      select headers from outbox_messages where headers->>'correlation_id' = 'req-quoted'`;
    expect(event?.headers['idempotency_key']).toBe('adj-quoted');
  });
});
