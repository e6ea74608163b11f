import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjustStockRequest, itemCreatedV1, maxActorLength, maxInt32 } from '@warren/contracts';
import { createEnvelope, decodeDelivery } from '@warren/messaging';
import { createServiceTestContext, type ServiceTestContext } from '@warren/service/testing';
import { fastCheckRuns, plausibleText as plausible, urlComponent } from '@warren/testing/hostile-input';
import { createApp } from './app.ts';
import { itemCreatedConsumer } from './handlers/item-created.ts';

const migrations = fileURLToPath(new URL('./db/migrations', import.meta.url));
const runs = fastCheckRuns(100);

const delta = fc.oneof({ arbitrary: fc.integer({ min: -1_000_001, max: 1_000_001 }), weight: 3 }, fc.constantFrom(0, 1_000_000, -1_000_000, maxInt32, 1e11, 0.5));

describe('inventory under hostile and careless input', () => {
  let context: ServiceTestContext;
  let app: ReturnType<typeof createApp>;
  const itemId = crypto.randomUUID();
  let n = 0;

  beforeAll(async () => {
    context = await createServiceTestContext('inventory', migrations);
    // A token is its subject as base64url JSON, as in a JWT: the edge's checks of `sub` are under test.
    const verify = async (token: string) => ({ subject: JSON.parse(Buffer.from(token.slice(1), 'base64url').toString('utf8')) as string, scopes: new Set(['inventory:read', 'inventory:write']) });
    app = createApp({ ...context.deps, auth: { verify } });
    const envelope = createEnvelope({ definition: itemCreatedV1, sourceService: 'catalog', subject: itemId, data: { id: itemId, name: 'Chair', sku: 'CHAIR-1', priceCents: 1, createdAt: new Date().toISOString() } });
    await itemCreatedConsumer(context.deps).handle({ envelope, headers: {}, correlationId: 'c', queue: 'inventory.item-created', routingKey: 'item.created.v1', redelivered: false, attempt: 1 });
  });
  afterAll(() => context.close());

  const bearer = (sub: string) => ({ authorization: `Bearer s${Buffer.from(JSON.stringify(sub), 'utf8').toString('base64url')}` });
  const adjust = (body: unknown, sub = 'alice') => {
    n += 1;
    return app.request(`/api/v1/stock/${itemId}/adjustments`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'idempotency-key': `prop-${n}`, ...bearer(sub) },
    });
  };

  it('refuses an adjustment with 4xx or stores exactly what was sent, in an event every consumer accepts', async () => {
    let adjusted = 0;
    await fc.assert(
      fc.asyncProperty(fc.record({ delta, reason: plausible(500) }), fc.oneof(plausible(maxActorLength), fc.constant('a'.repeat(maxActorLength))), async (body, sub) => {
        const response = await adjust(body, sub);
        expect(response.status, await response.clone().text()).toBeLessThan(500);
        if (response.status !== 201) return;
        adjusted += 1;
        const adjustment = (await response.json()) as { id: string };
        const sent = adjustStockRequest.parse(body);
        expect(adjustment).toMatchObject(sent);
        const [row] = await context.sql<{ delta: number; reason: string }[]>`select delta, reason from stock_adjustments where id = ${adjustment.id}`;
        expect(row).toEqual(sent);
        const [event] = await context.sql<{ envelope: { data: { adjustmentId: string } } }[]>`
          select envelope from outbox_messages where envelope->'data'->>'adjustmentId' = ${adjustment.id}`;
        const raw = { content: Buffer.from(JSON.stringify(event?.envelope)), headers: {}, correlationId: undefined, queue: 'property', routingKey: 'stock.adjusted.v1', redelivered: false, attempt: 1 };
        const consumed = decodeDelivery(raw, 'all', 'tolerant');
        expect(consumed.envelope.data).toMatchObject(sent);
        expect(consumed.envelope.metadata?.actor).toBe(sub);
      }),
      { ...runs, examples: [[{ delta: 5, reason: 'x'.repeat(500) }, 'a'.repeat(maxActorLength)], [{ delta: 1, reason: 'nul\u0000' }, 'alice'], [{ delta: 1, reason: 'ok' }, 'a'.repeat(maxActorLength + 1)]] },
    );
    expect(adjusted).toBeGreaterThan(10);
  }, 60_000);

  it('answers 409, not 500, when an adjustment would overflow the integer on hand', async () => {
    await context.sql`update stock set on_hand = ${maxInt32 - 10} where item_id = ${itemId}`;
    const response = await adjust({ delta: 1_000_000, reason: 'too many' });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ type: 'urn:warren:problem:stock_limit' });
    expect((await adjust({ delta: 10, reason: 'exactly full' })).status).toBe(201);
  });

  it('answers every stock path with 200 or 4xx, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(urlComponent(60), async (id) => {
        const response = await app.request(`/api/v1/stock/${id}`, { headers: bearer('reader') });
        expect(response.status, await response.clone().text()).toBeLessThan(500);
      }),
      runs,
    );
  }, 60_000);
});
