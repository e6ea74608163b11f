import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemCreatedV1, stockAdjustedV1 } from '@warren/contracts';
import { createLogger } from '@warren/telemetry';
import { createTestVhost, queueMessageCount, waitFor, type TestVhost } from '@warren/testing';
import {
  PermanentError,
  UnroutableError,
  connectBroker,
  createAmqpPublisher,
  createEnvelope,
  failureHeader,
  amqpSubscriberTransport, retryPolicy, runConsumer,
  topologyFor,
  type BrokerConnection,
  type ConsumedMessage,
  type ConsumerDefinition,
  type OutgoingMessage,
} from './index.ts';
import { drainQueue, publishRaw } from './testing/index.ts';

const logger = createLogger({ service: 'messaging-test', level: 'silent' });
const exchange = 'events';

function itemCreated(subject = crypto.randomUUID()): OutgoingMessage {
  const envelope = createEnvelope({
    definition: itemCreatedV1,
    sourceService: 'catalog',
    subject,
    data: { id: subject, name: 'Lamp', sku: `SKU-${subject.slice(0, 8)}`, priceCents: 1999, createdAt: new Date().toISOString() },
  });
  return { envelope, routingKey: itemCreatedV1.routingKey, headers: { correlation_id: 'corr-1', source_service: 'catalog', idempotency_key: 'key-1' } };
}

describe('messaging against a real RabbitMQ', () => {
  let vhost: TestVhost;
  let broker: BrokerConnection;
  const received: ConsumedMessage[] = [];
  let failuresLeft = 0;
  let failures = 0;
  const consumer: ConsumerDefinition = {
    queue: 'inventory.item-created',
    events: [itemCreatedV1],
    handle: async (message) => {
      if (message.envelope.subject === 'poison') throw new PermanentError('refused by handler');
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        failures += 1;
        throw new Error('database timeout');
      }
      received.push(message);
    },
  };

  beforeAll(async () => {
    vhost = await createTestVhost();
    broker = await connectBroker({
      url: vhost.url,
      name: 'test',
      logger,
      topology: topologyFor([consumer], { exchange, retry: retryPolicy({ delaysMs: [50, 100] }) }),
    });
  });
  afterAll(async () => {
    await broker.close();
    await vhost.delete();
  });

  it('publishes with the contract properties and headers, and a consumer receives it once', async () => {
    const subscriber = await runConsumer(amqpSubscriberTransport(broker), consumer, { logger, retry: retryPolicy({ delaysMs: [50, 100] }) });
    const publisher = createAmqpPublisher(broker, { exchange, logger });
    const message = itemCreated();
    expect(await publisher.publish([message])).toEqual([{ ok: true }]);
    const got = await waitFor(() => received.find((m) => m.envelope.id === message.envelope.id), { description: 'delivery' });
    expect(got.envelope).toEqual(message.envelope);
    expect(got.routingKey).toBe('item.created.v1');
    expect(got.correlationId).toBe('corr-1');
    expect(got.headers).toMatchObject({ correlation_id: 'corr-1', idempotency_key: 'key-1', source_service: 'catalog' });
    await subscriber.close();
    await publisher.close();
    expect(await queueMessageCount(vhost, 'inventory.item-created')).toBe(0);
  });

  it('reports a returned (unroutable) message as a failure, never a success', async () => {
    const publisher = createAmqpPublisher(broker, { exchange, logger });
    const unroutable = { ...itemCreated(), routingKey: 'nobody.listens.v1' };
    const [outcome] = await publisher.publish([unroutable, itemCreated()]).then((o) => [o[0], o[1]]);
    expect(outcome).toMatchObject({ ok: false });
    expect(outcome && !outcome.ok && outcome.error).toBeInstanceOf(UnroutableError);
    await publisher.close();
    await drainQueue(vhost.url, 'inventory.item-created');
  });

  it('retries a transient failure through the delay queues and then applies the message', async () => {
    failuresLeft = 2;
    failures = 0;
    const subscriber = await runConsumer(amqpSubscriberTransport(broker), consumer, { logger, retry: retryPolicy({ delaysMs: [50, 100] }) });
    const publisher = createAmqpPublisher(broker, { exchange, logger });
    const message = itemCreated();
    await publisher.publish([message]);
    const got = await waitFor(() => received.find((m) => m.envelope.id === message.envelope.id), { description: 'retried delivery' });
    expect(failures).toBe(2);
    expect(got.attempt).toBe(3);
    await subscriber.close();
    await publisher.close();
  });

  it('parks a message in the .dlq once its retries are spent, with the reason in headers', async () => {
    failuresLeft = 10;
    const subscriber = await runConsumer(amqpSubscriberTransport(broker), consumer, { logger, retry: retryPolicy({ delaysMs: [50, 100] }) });
    const publisher = createAmqpPublisher(broker, { exchange, logger });
    const message = itemCreated();
    await publisher.publish([message]);
    const [parked] = await waitFor(async () => {
      const messages = await drainQueue(vhost.url, 'inventory.item-created.dlq');
      return messages.length > 0 ? messages : undefined;
    }, { description: 'dead-lettered message' });
    await subscriber.close();
    await publisher.close();
    failuresLeft = 0;
    expect(parked?.properties.messageId).toBe(message.envelope.id);
    expect(parked?.headers).toMatchObject({
      [failureHeader.errorMessage]: 'database timeout',
      [failureHeader.attempt]: 3,
      [failureHeader.originalExchange]: 'events',
      [failureHeader.originalRoutingKey]: 'item.created.v1',
      [failureHeader.queue]: 'inventory.item-created',
      correlation_id: 'corr-1',
    });
    expect(received.some((m) => m.envelope.id === message.envelope.id)).toBe(false);
  });

  it.each([
    ['unparsable JSON', '{not json', 'invalid_json'],
    ['an unknown version', JSON.stringify({ ...itemCreated().envelope, version: 9 }), 'unknown_event'],
    ['data that breaks its schema', JSON.stringify({ ...itemCreated().envelope, data: { id: 'x' } }), 'invalid_data'],
    ['an event the consumer does not take', JSON.stringify({ ...itemCreated().envelope, type: stockAdjustedV1.type }), 'unhandled_event'],
  ])('sends %s straight to the .dlq with the reason and does not apply it', async (_name, body, code) => {
    const subscriber = await runConsumer(amqpSubscriberTransport(broker), consumer, { logger, retry: retryPolicy({ delaysMs: [50, 100] }) });
    const before = received.length;
    await publishRaw(vhost.url, exchange, 'item.created.v1', body, { messageId: 'raw-1' });
    const [parked] = await waitFor(async () => {
      const messages = await drainQueue(vhost.url, 'inventory.item-created.dlq');
      return messages.length > 0 ? messages : undefined;
    }, { description: 'parked poison message' });
    await subscriber.close();
    expect(parked?.body).toBe(body);
    expect(parked?.headers[failureHeader.errorType]).toBe('PermanentError');
    expect(parked?.headers[failureHeader.errorCode]).toBe(code);
    expect(parked?.headers[failureHeader.attempt]).toBe(1);
    expect(received.length).toBe(before);
  });

  it('close() lets in-flight handlers finish and acks only what they completed', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const started: string[] = [];
    const finished: string[] = [];
    const slow: ConsumerDefinition = {
      ...consumer,
      handle: async (message) => {
        started.push(message.envelope.id);
        await gate;
        finished.push(message.envelope.id);
      },
    };
    const subscriber = await runConsumer(amqpSubscriberTransport(broker), slow, { logger, prefetch: 2 });
    const publisher = createAmqpPublisher(broker, { exchange, logger });
    const messages = Array.from({ length: 5 }, () => itemCreated());
    await publisher.publish(messages);
    // Two or three: the fresh delivery that lifts the consumer from one at a time to its prefetch is still in flight.
    await waitFor(() => started.length >= 2, { description: 'several in-flight deliveries' });
    const closing = subscriber.close();
    release();
    await closing;
    await publisher.close();
    expect(finished).toEqual(started);
    expect(await queueMessageCount(vhost, 'inventory.item-created')).toBe(5 - finished.length);
    await drainQueue(vhost.url, 'inventory.item-created');
  });
});

describe('a consumer whose database is down', () => {
  let vhost: TestVhost;
  let broker: BrokerConnection;

  beforeAll(async () => {
    vhost = await createTestVhost();
  });
  afterAll(async () => {
    await broker?.close();
    await vhost.delete();
  });

  it('pauses without spending retries, resumes when the database answers, and applies every message once', async () => {
    let databaseUp = false;
    let probes = 0;
    const applied: string[] = [];
    const consumer: ConsumerDefinition = {
      queue: 'audit.event-log',
      events: 'all',
      handle: async (message) => {
        if (!databaseUp) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
        applied.push(message.envelope.id);
      },
    };
    broker = await connectBroker({ url: vhost.url, name: 'pause-test', logger, topology: topologyFor([consumer], { exchange, retry: retryPolicy({ delaysMs: [50] }) }) });
    const subscriber = await runConsumer(amqpSubscriberTransport(broker), consumer, {
      logger,
      retry: retryPolicy({ delaysMs: [50] }),
      dependency: {
        isDown: (error) => (error as { code?: string }).code === 'ECONNREFUSED',
        probe: async () => {
          probes += 1;
          if (!databaseUp) throw new Error('still down');
        },
        minDelayMs: 10,
        maxDelayMs: 20,
      },
    });
    const publisher = createAmqpPublisher(broker, { exchange, logger });
    const messages = Array.from({ length: 10 }, () => itemCreated());
    await publisher.publish(messages);
    await waitFor(() => probes >= 3 && !subscriber.consuming, { description: 'the consumer to pause and probe' });
    expect(applied).toEqual([]);
    expect(await queueMessageCount(vhost, 'audit.event-log.dlq')).toBe(0);
    databaseUp = true;
    await waitFor(() => applied.length === 10, { description: 'every message applied after the database came back' });
    expect(subscriber.consuming).toBe(true);
    expect(new Set(applied)).toEqual(new Set(messages.map((message) => message.envelope.id)));
    expect(await queueMessageCount(vhost, 'audit.event-log.retry.1')).toBe(0);
    expect(await queueMessageCount(vhost, 'audit.event-log.dlq')).toBe(0);
    await subscriber.close();
    await publisher.close();
  });
});
