import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemCreatedV1 } from '@warren/contracts';
import { connectBroker, createEnvelope, newEventId, amqpSubscriberTransport, retryPolicy, runConsumer, topologyFor, type BrokerConnection, type Subscriber } from '@warren/messaging';
import { createServiceTestContext, type ServiceTestContext } from '@warren/service/testing';
import { createTestVhost, peekQueue, waitFor, type TestVhost } from '@warren/testing';
import { eventLogConsumer, eventLogQueue } from './handlers/event-log.ts';

const migrations = fileURLToPath(new URL('./db/migrations', import.meta.url));
// Set FC_SEED to replay a failure; the seed of every run is printed when it fails.
const seed = process.env['FC_SEED'] === undefined ? Date.now() % 2 ** 31 : Number(process.env['FC_SEED']);
const messageCount = 80;

/** One message as a careless or hostile producer might put it on the exchange. */
interface HostileMessage {
  messageId: string;
  routingKey: string;
  body: Buffer;
  headers: Record<string, string>;
  /** The data it carries when it is an envelope, to compare with what audit stored. */
  data: unknown;
}

const text = (maxLength: number) => fc.oneof(fc.string({ unit: 'grapheme', maxLength }), fc.string({ unit: 'binary', maxLength }), fc.constantFrom('', '\u0000', 'x'.repeat(maxLength)));

const envelopeFields = ['type', 'version', 'timestamp', 'source_service', 'subject', 'data', 'metadata'] as const;

/** Well-formed item.created envelopes, then the same with one field broken, added or dropped, and bodies that are no envelope at all. */
function hostileMessage(messageId: string): fc.Arbitrary<HostileMessage> {
  const mostly = <T,>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: bad });
  const fields = fc.record({
    name: mostly(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }), text(210)),
    sku: mostly(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 64 }), text(70)),
    priceCents: mostly(fc.integer({ min: 0, max: 2_147_483_647 }), fc.double()),
  });
  const valid = fields.map((chosen) => {
    const subject = crypto.randomUUID();
    // Built as a producer would, then given data the producer never checked.
    const envelope = createEnvelope({ definition: itemCreatedV1, sourceService: 'catalog', subject, data: { id: subject, name: 'n', sku: 's', priceCents: 1, createdAt: new Date().toISOString() } });
    return { ...envelope, id: messageId, data: { ...envelope.data, ...chosen } };
  });
  const body = fc.oneof(
    { weight: 3, arbitrary: valid },
    fc.tuple(valid, fc.constantFrom(...envelopeFields), fc.jsonValue()).map(([envelope, field, value]) => ({ ...envelope, [field]: value })),
    fc.tuple(valid, fc.constantFrom(...envelopeFields)).map(([envelope, field]) => Object.fromEntries(Object.entries(envelope).filter(([name]) => name !== field))),
    fc.tuple(valid, fc.string({ maxLength: 20 }), fc.jsonValue()).map(([envelope, field, value]) => ({ ...envelope, [`x_${field}`]: value })),
  );
  const headers = fc.dictionary(
    fc.constantFrom('correlation_id', 'causation_id', 'idempotency_key', 'traceparent', 'x-warren-attempt', 'x-warren-original-routing-key', 'x-other'),
    // Up to four headers of 15 KB: as much as amqplib lets a producer send (64 KiB per header table).
    fc.oneof(text(100), fc.constant('h'.repeat(15_000))),
    { maxKeys: 4 },
  );
  return fc.record({
    routingKey: mostly(fc.constant(itemCreatedV1.routingKey), fc.constantFrom('item.created.v9', 'unknown.thing.v1')),
    content: fc.oneof({ weight: 6, arbitrary: body.map((value) => ({ json: value })) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ bytes })) }),
    headers,
  }).map(({ routingKey, content, headers: chosen }) => {
    // What was sent is the JSON text, not the value it was made from (-0 goes out as 0).
    const sent: unknown = 'json' in content ? JSON.parse(JSON.stringify(content.json)) : undefined;
    return {
      messageId,
      routingKey,
      headers: chosen,
      body: 'bytes' in content ? Buffer.from(content.bytes) : Buffer.from(JSON.stringify(content.json)),
      data: typeof sent === 'object' && sent !== null ? (sent as Record<string, unknown>)['data'] : undefined,
    };
  });
}

describe('audit under messages published straight to the exchange', () => {
  let context: ServiceTestContext;
  let vhost: TestVhost;
  let broker: BrokerConnection;
  let subscriber: Subscriber;

  beforeAll(async () => {
    [context, vhost] = await Promise.all([createServiceTestContext('audit', migrations), createTestVhost('hostile')]);
    const consumer = eventLogConsumer(context.deps);
    broker = await connectBroker({ url: vhost.url, name: 'audit-hostile', logger: context.deps.logger, topology: topologyFor([consumer], { exchange: 'events', retry: retryPolicy({ delaysMs: [50], deliveryLimit: 5 }) }) });
    subscriber = await runConsumer(amqpSubscriberTransport(broker), consumer, { logger: context.deps.logger, retry: retryPolicy({ delaysMs: [50], deliveryLimit: 5 }) });
  });
  afterAll(async () => {
    await subscriber?.close();
    await broker?.close();
    await Promise.all([context?.close(), vhost?.delete()]);
  });

  it('applies each once, with the data that was sent, or parks it with a reason: nothing lost, nothing twice, no crash loop', { timeout: 120_000 }, async () => {
    const ids = Array.from({ length: messageCount }, () => newEventId());
    const messages = fc.sample(fc.tuple(...ids.map((id) => hostileMessage(id))), { seed, numRuns: 1 })[0] ?? [];
    try {
      const connection = await amqp.connect(vhost.url);
      const channel = await connection.createConfirmChannel();
      for (const message of messages) {
        channel.publish('events', message.routingKey, message.body, { messageId: message.messageId, contentType: 'application/json', persistent: true, headers: message.headers });
      }
      await channel.waitForConfirms();
      await connection.close();

      const outcome = await waitFor(
        async () => {
          const applied = await context.sql<{ id: string; data: unknown }[]>`select id, data from events where id = any(${ids}::uuid[])`;
          const parked = (await peekQueue(vhost, `${eventLogQueue}.dlq`)).filter((message) => ids.includes(String(message.messageId)));
          return applied.length + parked.length >= ids.length ? { applied, parked } : undefined;
        },
        { description: `an outcome for each of ${messageCount} messages`, timeoutMs: 60_000, intervalMs: 250 },
      );
      const appliedIds = outcome.applied.map((row) => row.id);
      const parkedIds = outcome.parked.map((message) => String(message.messageId));
      expect(new Set([...appliedIds, ...parkedIds])).toEqual(new Set(ids));
      expect(appliedIds.length + parkedIds.length, 'each message has exactly one outcome').toBe(ids.length);
      // Both outcomes occur, or the run proved little.
      expect(appliedIds.length).toBeGreaterThan(0);
      expect(parkedIds.length).toBeGreaterThan(0);
      for (const message of outcome.parked) {
        expect(message.headers['x-warren-error-type'], String(message.messageId)).toEqual(expect.any(String));
        expect(Number(message.headers['x-warren-attempt']), 'parked by the consumer, not a crash loop').toBeLessThanOrEqual(2);
      }
      for (const row of outcome.applied) expect(row.data, row.id).toEqual(messages.find((message) => message.messageId === row.id)?.data);
      const [inbox] = await context.sql<{ count: number }[]>`select count(*)::int as count from inbox_messages`;
      expect(inbox?.count).toBe(appliedIds.length);
    } catch (error) {
      throw new Error(`failed with FC_SEED=${seed}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  });
});
