import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createItemRequest, maxActorLength, maxInt32 } from '@warren/contracts';
import { decodeDelivery } from '@warren/messaging';
import { createServiceTestContext, type ServiceTestContext } from '@warren/service/testing';
import { fastCheckRuns, hostileText as text, plausibleText as plausible, urlComponent } from '@warren/testing/hostile-input';
import { createApp } from './app.ts';

const migrations = fileURLToPath(new URL('./db/migrations', import.meta.url));
const runs = fastCheckRuns(100);

const subject = fc.oneof(plausible(maxActorLength), fc.constant('a'.repeat(maxActorLength)), fc.constant('🦜'.repeat(maxActorLength / 5)));
const price = fc.oneof({ arbitrary: fc.integer({ min: -1, max: maxInt32 + 1 }), weight: 3 }, fc.constantFrom(0, maxInt32, maxInt32 + 1, 1e11, 0.5, Number.MAX_SAFE_INTEGER));
const sku = fc.oneof({ arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,64}$/), weight: 3 }, { arbitrary: text(65), weight: 1 });

describe('catalog under hostile and careless input', () => {
  let context: ServiceTestContext;
  let app: ReturnType<typeof createApp>;
  let n = 0;

  beforeAll(async () => {
    context = await createServiceTestContext('catalog', migrations);
    // A token is its subject as base64url JSON, as in a JWT (so escaped lone surrogates survive):
    // the edge's own checks of `sub` are what is under test, not signatures.
    const verify = async (token: string) => ({ subject: JSON.parse(Buffer.from(token.slice(1), 'base64url').toString('utf8')) as string, scopes: new Set(['catalog:read', 'catalog:write']) });
    app = createApp({ ...context.deps, auth: { verify } });
  });
  afterAll(() => context.close());

  const bearer = (sub: string) => ({ authorization: `Bearer s${Buffer.from(JSON.stringify(sub), 'utf8').toString('base64url')}` });

  async function create(body: unknown, sub: string): Promise<Response> {
    n += 1;
    return app.request('/api/v1/items', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'idempotency-key': `prop-${n}`, ...bearer(sub) },
    });
  }

  it('refuses a write with 4xx or stores exactly what was sent, in an event every consumer accepts', async () => {
    let created = 0;
    await fc.assert(
      fc.asyncProperty(fc.record({ name: plausible(200), sku, priceCents: price }), subject, async (body, sub) => {
        const response = await create(body, sub);
        expect(response.status, await response.clone().text()).toBeLessThan(500);
        if (response.status !== 201) return;
        created += 1;
        const item = (await response.json()) as { id: string };
        const sent = createItemRequest.parse(body);
        expect(item).toMatchObject(sent);
        const [row] = await context.sql<{ name: string; sku: string; price_cents: number }[]>`select name, sku, price_cents from items where id = ${item.id}`;
        expect(row).toEqual({ name: sent.name, sku: sent.sku, price_cents: sent.priceCents });
        const [event] = await context.sql<{ envelope: unknown }[]>`select envelope from outbox_messages where subject = ${item.id}`;
        const raw = { content: Buffer.from(JSON.stringify(event?.envelope)), headers: {}, correlationId: undefined, queue: 'property', routingKey: 'item.created.v2', redelivered: false, attempt: 1 };
        const consumed = decodeDelivery(raw, 'all', 'tolerant');
        expect(consumed.envelope.data).toEqual({ ...item, category: 'uncategorised' });
        expect(consumed.envelope.metadata?.actor).toBe(sub);
      }),
      {
        ...runs,
        examples: [
          [{ name: 'x'.repeat(200), sku: 'MAX-PRICE', priceCents: maxInt32 }, 'a'.repeat(maxActorLength)],
          [{ name: 'Lamp', sku: 'TOO-DEAR', priceCents: 1e11 }, 'alice'],
          [{ name: 'Lamp\u0000', sku: 'NUL-1', priceCents: 1 }, 'alice'],
          [{ name: 'Lamp\ud800', sku: 'SURROGATE-1', priceCents: 1 }, 'alice'],
          [{ name: 'Lamp', sku: 'LONG-SUB', priceCents: 1 }, 'a'.repeat(maxActorLength + 1)],
          [{ name: 'Lamp', sku: 'EMPTY-SUB', priceCents: 1 }, ''],
        ],
      },
    );
    // Not vacuous: a good share of the generated writes are valid and stored.
    expect(created).toBeGreaterThan(10);
  }, 60_000);

  it('answers every list query and item path with 200 or 4xx, never 5xx', async () => {
    const query = fc.record({ limit: fc.oneof(urlComponent(8), fc.integer().map(String)), cursor: urlComponent(210) }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(query, urlComponent(60), async (params, id) => {
        const search = Object.entries(params).map(([name, value]) => `${name}=${value}`).join('&');
        const list = await app.request(`/api/v1/items?${search}`, { headers: bearer('reader') });
        expect(list.status, await list.clone().text()).toBeLessThan(500);
        const one = await app.request(`/api/v1/items/${id}`, { headers: bearer('reader') });
        expect(one.status, await one.clone().text()).toBeLessThan(500);
      }),
      runs,
    );
  }, 60_000);
});
