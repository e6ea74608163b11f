import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemCreatedV1 } from '@warren/contracts';
import { amqpSubscriberTransport, connectBroker, createEnvelope, newEventId, retryPolicy, runConsumer, topologyFor, type BrokerConnection, type Subscriber } from '@warren/messaging';
import { publishRaw } from '@warren/messaging/testing';
import { createServiceTestContext, type ServiceTestContext } from '@warren/service/testing';
import { createTestVhost, peekQueue, waitFor, type TestVhost } from '@warren/testing';
import { eventLogConsumer, eventLogQueue } from './handlers/event-log.ts';

const migrations = fileURLToPath(new URL('./db/migrations', import.meta.url));

interface LoggedEvent {
  id: string;
  type: string;
  version: number;
  data: unknown;
  envelope: Record<string, unknown> | null;
}

describe('audit and events it was never told about', () => {
  let context: ServiceTestContext;
  let vhost: TestVhost;
  let broker: BrokerConnection;
  let subscriber: Subscriber;

  beforeAll(async () => {
    [context, vhost] = await Promise.all([createServiceTestContext('audit', migrations), createTestVhost('unknown-events')]);
    const consumer = eventLogConsumer(context.deps);
    const retry = retryPolicy({ delaysMs: [50], deliveryLimit: 5 });
    broker = await connectBroker({ url: vhost.url, name: 'audit-unknown', logger: context.deps.logger, topology: topologyFor([consumer], { exchange: 'events', retry }) });
    subscriber = await runConsumer(amqpSubscriberTransport(broker), consumer, { logger: context.deps.logger, retry });
  });
  afterAll(async () => {
    await subscriber?.close();
    await broker?.close();
    await Promise.all([context?.close(), vhost?.delete()]);
  });

  const logged = (id: string) =>
    waitFor(async () => (await context.sql<LoggedEvent[]>`select id, type, version, data, envelope from events where id = ${id}`)[0], {
      description: `audit to log ${id}`,
      timeoutMs: 20_000,
    });

  function envelopeOf(type: string, version: number, data: unknown): Record<string, unknown> {
    return { id: newEventId(), type, version, timestamp: new Date().toISOString(), source_service: 'warehouse', subject: 'shelf-9', data };
  }

  it('logs an event of a type it does not know, with its data intact, instead of parking it', async () => {
    const data = { shelf: 'B-12', levels: [{ n: 1, free: true }], note: null };
    const envelope = envelopeOf('shelf.installed', 1, data);
    await publishRaw(vhost.url, 'events', 'shelf.installed.v1', JSON.stringify(envelope), { messageId: String(envelope['id']), contentType: 'application/json' });
    const row = await logged(String(envelope['id']));
    expect(row).toMatchObject({ type: 'shelf.installed', version: 1, data });
    const { data: _data, ...rest } = envelope;
    expect(row.envelope).toEqual(rest);
  });

  it('logs an event whose data is JSON null as JSON null, not as SQL NULL', async () => {
    const envelope = envelopeOf('shelf.emptied', 1, null);
    await publishRaw(vhost.url, 'events', 'shelf.emptied.v1', JSON.stringify(envelope), { messageId: String(envelope['id']) });
    await logged(String(envelope['id']));
    const [row] = await context.sql<{ kind: string | null }[]>`select jsonb_typeof(data) as kind from events where id = ${String(envelope['id'])}`;
    expect(row?.kind).toBe('null');
  });

  it('logs a version of a known type it does not know, with its data intact', async () => {
    const data = { id: crypto.randomUUID(), name: 'Lamp', sku: 'L-1', priceCents: 100, createdAt: new Date().toISOString(), colourway: { name: 'teal' } };
    const envelope = envelopeOf('item.created', 7, data);
    await publishRaw(vhost.url, 'events', 'item.created.v7', JSON.stringify(envelope), { messageId: String(envelope['id']) });
    expect(await logged(String(envelope['id']))).toMatchObject({ type: 'item.created', version: 7, data });
  });

  it('keeps envelope and data fields of a known event it does not know', async () => {
    const subject = crypto.randomUUID();
    const known = createEnvelope({ definition: itemCreatedV1, sourceService: 'catalog', subject, data: { id: subject, name: 'Desk', sku: 'D-1', priceCents: 5, createdAt: new Date().toISOString() } });
    const newer = { ...known, region: 'eu-west', metadata: { actor: 'alice', via: 'import' }, data: { ...known.data, colour: 'oak' } };
    await publishRaw(vhost.url, 'events', itemCreatedV1.routingKey, JSON.stringify(newer), { messageId: known.id });
    const row = await logged(known.id);
    expect(row.data).toEqual(newer.data);
    const { data: _data, ...rest } = newer;
    expect(row.envelope).toEqual(rest);
  });

  it('still parks what is broken: no id, or a known event whose data misses a required field', async () => {
    const { id: _id, ...withoutId } = envelopeOf('shelf.installed', 1, {});
    const subject = crypto.randomUUID();
    const known = createEnvelope({ definition: itemCreatedV1, sourceService: 'catalog', subject, data: { id: subject, name: 'Desk', sku: 'D-1', priceCents: 5, createdAt: new Date().toISOString() } });
    const { sku: _sku, ...withoutSku } = known.data;
    await publishRaw(vhost.url, 'events', 'shelf.installed.v1', JSON.stringify(withoutId), { messageId: 'no-id' });
    await publishRaw(vhost.url, 'events', itemCreatedV1.routingKey, JSON.stringify({ ...known, data: withoutSku }), { messageId: known.id });
    const parked = await waitFor(async () => {
      const messages = await peekQueue(vhost, `${eventLogQueue}.dlq`);
      return messages.length >= 2 ? messages : undefined;
    }, { description: 'both broken messages parked', timeoutMs: 20_000 });
    expect(parked.map((message) => [message.messageId, message.headers['x-warren-error-code']]).sort()).toEqual([
      [known.id, 'invalid_data'],
      ['no-id', 'invalid_envelope'],
    ].sort());
    expect(await context.sql`select id from events where id = ${known.id}`).toHaveLength(0);
  });
});
