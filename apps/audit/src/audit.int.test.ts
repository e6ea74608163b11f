import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemCreatedV1, stockAdjustedV1 } from '@warren/contracts';
import { createEnvelope, type ConsumedMessage } from '@warren/messaging';
import { createServiceTestContext, type ServiceTestContext } from '@warren/service/testing';
import { createApp } from './app.ts';
import { eventLogConsumer } from './handlers/event-log.ts';

const migrations = fileURLToPath(new URL('./db/migrations', import.meta.url));
const itemId = crypto.randomUUID();

function delivered(envelope: ConsumedMessage['envelope'], correlationId: string, causationId?: string): ConsumedMessage {
  return {
    envelope,
    headers: { correlation_id: correlationId, ...(causationId ? { causation_id: causationId } : {}) },
    correlationId,
    queue: 'audit.event-log',
    routingKey: `${envelope.type}.v${envelope.version}`,
    redelivered: false,
    attempt: 1,
  };
}

describe('audit event log', () => {
  let context: ServiceTestContext;
  let app: ReturnType<typeof createApp>;
  const created = createEnvelope({
    definition: itemCreatedV1,
    sourceService: 'catalog',
    subject: itemId,
    data: { id: itemId, name: 'Desk', sku: 'DESK-1', priceCents: 100, createdAt: new Date().toISOString() },
  });
  const adjusted = createEnvelope({
    definition: stockAdjustedV1,
    sourceService: 'inventory',
    subject: itemId,
    data: { adjustmentId: crypto.randomUUID(), itemId, sku: 'DESK-1', delta: 2, reason: 'count', onHand: 2, adjustedAt: new Date().toISOString() },
  });

  beforeAll(async () => {
    context = await createServiceTestContext('audit', migrations);
    app = createApp(context.deps);
  });
  afterAll(() => context.close());

  it('appends one row per event applied, never per delivery', async () => {
    const consumer = eventLogConsumer(context.deps);
    await consumer.handle(delivered(created, 'corr-a'));
    await consumer.handle(delivered(created, 'corr-a'));
    await consumer.handle(delivered(adjusted, 'corr-b', created.id));
    const response = await app.request('/api/v1/events');
    const body = (await response.json()) as { items: Record<string, unknown>[] };
    expect(body.items).toHaveLength(2);
    expect(body.items[0]).toMatchObject({ id: created.id, type: 'item.created', correlation_id: 'corr-a', causation_id: null, data: created.data });
    expect(body.items[1]).toMatchObject({ id: adjusted.id, type: 'stock.adjusted', correlation_id: 'corr-b', causation_id: created.id });
    expect(String(body.items[0]?.['received_at'])).toMatch(/\.\d{3}Z$/);
  });

  it('filters by type, correlation id and subject', async () => {
    const ids = async (query: string) =>
      ((await (await app.request(`/api/v1/events?${query}`)).json()) as { items: { id: string }[] }).items.map((event) => event.id);
    expect(await ids('type=stock.adjusted')).toEqual([adjusted.id]);
    expect(await ids('correlation_id=corr-a')).toEqual([created.id]);
    expect(await ids(`subject=${itemId}`)).toEqual([created.id, adjusted.id]);
    expect(await ids('type=item.created&correlation_id=corr-b')).toEqual([]);
  });

  it('pages with an opaque cursor and rejects bad limits and cursors with 400', async () => {
    const first = (await (await app.request('/api/v1/events?limit=1')).json()) as { items: { id: string }[]; next_cursor: string };
    const second = (await (await app.request(`/api/v1/events?limit=1&cursor=${first.next_cursor}`)).json()) as { items: { id: string }[]; next_cursor: string | null };
    expect([first.items[0]?.id, second.items[0]?.id]).toEqual([created.id, adjusted.id]);
    expect(second.next_cursor).toBeNull();
    expect((await app.request('/api/v1/events?limit=0')).status).toBe(400);
    expect((await app.request('/api/v1/events?cursor=%7B%7D')).status).toBe(400);
  });
});
