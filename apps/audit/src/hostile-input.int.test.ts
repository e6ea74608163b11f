import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemCreatedV1, maxActorLength } from '@warren/contracts';
import { createEnvelope } from '@warren/messaging';
import { createServiceTestContext, type ServiceTestContext } from '@warren/service/testing';
import { fastCheckRuns } from '@warren/testing/hostile-input';
import { createApp } from './app.ts';
import { eventLogConsumer } from './handlers/event-log.ts';

const migrations = fileURLToPath(new URL('./db/migrations', import.meta.url));
const runs = fastCheckRuns(150);

/** A query value as a client can send it: encoded text from every plane, or arbitrary percent-encoded bytes. */
const queryValue = (max: number) =>
  fc.oneof(
    fc.oneof(fc.string({ unit: 'binary', maxLength: max }), fc.string({ unit: 'grapheme', maxLength: max }), fc.constantFrom('', '\u0000', 'x'.repeat(max), 'x'.repeat(max + 1))).map((value) =>
      encodeURIComponent(value.toWellFormed()),
    ),
    fc.uint8Array({ maxLength: max }).map((bytes) => [...bytes].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')),
  );

describe('audit under hostile and careless queries', () => {
  let context: ServiceTestContext;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    context = await createServiceTestContext('audit', migrations);
    app = createApp(context.deps);
  });
  afterAll(() => context.close());

  it('answers a filter with a NUL character 400, not 500', async () => {
    for (const name of ['type', 'correlation_id', 'subject']) {
      const response = await app.request(`/api/v1/events?${name}=a%00b`);
      expect(response.status, name).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('logs an event whose actor is as long as the edge admits', async () => {
    const itemId = crypto.randomUUID();
    const actor = 'a'.repeat(maxActorLength);
    const envelope = createEnvelope({ definition: itemCreatedV1, sourceService: 'catalog', subject: itemId, actor, data: { id: itemId, name: 'Desk', sku: 'DESK-1', priceCents: 1, createdAt: new Date().toISOString() } });
    await eventLogConsumer(context.deps).handle({ envelope, headers: {}, correlationId: 'corr-actor', queue: 'audit.event-log', routingKey: 'item.created.v1', redelivered: false, attempt: 1 });
    const response = await app.request('/api/v1/events?correlation_id=corr-actor');
    expect(await response.json()).toMatchObject({ items: [{ id: envelope.id, actor }] });
  });

  it('answers every query of the event log with 200 or 4xx, never 5xx', async () => {
    const names = ['type', 'correlation_id', 'subject', 'limit', 'cursor', 'other'] as const;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...names), queryValue(210)), { maxLength: 4 }), async (pairs) => {
        const response = await app.request(`/api/v1/events?${pairs.map(([name, value]) => `${name}=${value}`).join('&')}`);
        expect(response.status, await response.clone().text()).toBeLessThan(500);
      }),
      runs,
    );
  }, 60_000);
});
