import { Writable } from 'node:stream';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemCreatedV1 } from '@warren/contracts';
import { createLogger } from '@warren/telemetry';
import { createTestVhost, queueMessageCount, waitFor, type TestVhost } from '@warren/testing';
import {
  connectBroker,
  createAmqpPublisher,
  createEnvelope,
  declareTopology,
  eventProperties,
  failureHeader,
  queueNames,
  amqpSubscriberTransport, retryPolicy, runConsumer,
  topologyFor,
  type BrokerConnection,
  type ConsumedMessage,
  type ConsumerDefinition,
  type OutgoingMessage,
  type Subscriber,
} from './index.ts';
import { drainQueue, type PeekedMessage } from './testing/index.ts';

const exchange = 'events';
const queue = 'inventory.item-created';
const logs: Record<string, unknown>[] = [];
const logger = createLogger({
  service: 'settings-change-test',
  level: 'info',
  destination: new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  }),
});

function itemCreated(): OutgoingMessage {
  const subject = crypto.randomUUID();
  const envelope = createEnvelope({
    definition: itemCreatedV1,
    sourceService: 'catalog',
    subject,
    data: { id: subject, name: 'Lamp', sku: `SKU-${subject.slice(0, 8)}`, priceCents: 1999, createdAt: new Date().toISOString() },
  });
  return { envelope, routingKey: itemCreatedV1.routingKey, headers: { correlation_id: 'corr-settings', source_service: 'catalog' } };
}

/** `x-death` entries of a delivery: which delay queues it passed and with what expiration. */
function deaths(message: ConsumedMessage): { queue: string; expiration: unknown }[] {
  const entries = (message.headers['x-death'] ?? []) as Record<string, unknown>[];
  return entries.map((entry) => ({ queue: String(entry['queue']), expiration: entry['original-expiration'] }));
}

describe('a consumer restarted with other RETRY_DELAYS_MS and DELIVERY_LIMIT', () => {
  let vhost: TestVhost;
  /** Transient failures still to come, per event id; every handler call counted per event id. */
  const failuresLeft = new Map<string, number>();
  const calls = new Map<string, number>();
  const applied = new Map<string, ConsumedMessage[]>();
  const consumer: ConsumerDefinition = {
    queue,
    events: [itemCreatedV1],
    handle: async (message) => {
      const id = message.envelope.id;
      calls.set(id, (calls.get(id) ?? 0) + 1);
      const left = failuresLeft.get(id) ?? 0;
      if (left > 0) {
        failuresLeft.set(id, left - 1);
        throw new Error('database timeout');
      }
      applied.set(id, [...(applied.get(id) ?? []), message]);
    },
  };
  let running: { broker: BrokerConnection; subscriber: Subscriber } | undefined;

  /** What `startService` does with RETRY_DELAYS_MS and DELIVERY_LIMIT from the environment. */
  async function start(retryDelaysMs: number[], deliveryLimit: number): Promise<void> {
    const retry = retryPolicy({ delaysMs: retryDelaysMs, deliveryLimit });
    await stop();
    const broker = await connectBroker({ url: vhost.url, name: 'settings-test', logger, topology: topologyFor([consumer], { exchange, retry }) });
    const subscriber = await runConsumer(amqpSubscriberTransport(broker), consumer, { logger, retry });
    running = { broker, subscriber };
  }

  async function stop(): Promise<void> {
    await running?.subscriber.close();
    await running?.broker.close();
    running = undefined;
  }

  async function publish(count: number, failures: number): Promise<OutgoingMessage[]> {
    const messages = Array.from({ length: count }, itemCreated);
    for (const message of messages) failuresLeft.set(message.envelope.id, failures);
    const broker = running?.broker;
    if (!broker) throw new Error('not started');
    const publisher = createAmqpPublisher(broker, { exchange, logger });
    expect((await publisher.publish(messages)).every((outcome) => outcome.ok)).toBe(true);
    await publisher.close();
    return messages;
  }

  function expectAppliedOnce(): void {
    for (const [id, deliveries] of applied) expect(deliveries, id).toHaveLength(1);
  }

  const ids = (messages: OutgoingMessage[]) => messages.map((message) => message.envelope.id);
  const allApplied = (messages: OutgoingMessage[]) => ids(messages).every((id) => applied.has(id));

  /** Hands the queue's next delivery to a consumer that dies before settling it, `times` times. */
  async function crashOn(times: number): Promise<void> {
    const connection = await amqp.connect(vhost.url);
    try {
      for (let crash = 0; crash < times; crash += 1) {
        const channel = await connection.createChannel();
        const got = await waitFor(() => channel.get(queue).then((message) => message || undefined), { description: 'the delivery to crash on' });
        expect(Number(got.properties.headers?.['x-delivery-count'] ?? 0)).toBe(crash);
        await channel.close();
      }
    } finally {
      await connection.close();
    }
  }

  beforeAll(async () => {
    vhost = await createTestVhost('settings');
  });
  afterAll(async () => {
    await stop();
    await vhost.delete();
  });

  it('applies a longer list at restart, and brings back what waited in a delay queue from before', { timeout: 30_000 }, async () => {
    await start([1_500], 5);
    const steady = await publish(5, 0);
    const waiting = await publish(5, 1);
    await waitFor(() => ids(waiting).every((id) => calls.get(id) === 1) && allApplied(steady), { description: 'first attempts' });

    await start([100, 100, 100], 5);
    // Three failures need three delay queues: the old list had one, and would have parked these.
    const longer = await publish(3, 3);
    await waitFor(() => allApplied(waiting) && allApplied(longer), { description: 'everything applied', timeoutMs: 15_000 });
    for (const message of longer) {
      const [delivery] = applied.get(message.envelope.id) ?? [];
      expect(delivery?.attempt).toBe(4);
      // x-death lists the latest dead-lettering first: back from the third delay queue, after the new delay.
      expect(deaths(delivery as ConsumedMessage)[0]).toEqual({ queue: queueNames.retry(queue, 3), expiration: '100' });
    }
    for (const message of waiting) {
      expect(deaths((applied.get(message.envelope.id) ?? [])[0] as ConsumedMessage)[0]).toEqual({ queue: queueNames.retry(queue, 1), expiration: '1500' });
    }
    expectAppliedOnce();
  });

  it('applies a shorter list at restart; messages in the dropped delay queues still come back', { timeout: 30_000 }, async () => {
    await start([100, 100, 2_000], 5);
    const inThird = await publish(4, 3);
    await waitFor(() => ids(inThird).every((id) => calls.get(id) === 3), { description: 'three attempts each, the third retry waiting' });

    logs.length = 0;
    await start([100], 5);
    expect(logs.filter((line) => line['setting'] === 'RETRY_DELAYS_MS').map((line) => line['queue'])).toEqual([queueNames.retry(queue, 2), queueNames.retry(queue, 3)]);
    const shorter = await publish(3, 2);
    await waitFor(() => allApplied(inThird), { description: 'the messages left in the third delay queue', timeoutMs: 15_000 });
    const parked: PeekedMessage[] = [];
    await waitFor(async () => {
      parked.push(...(await drainQueue(vhost.url, queueNames.deadLetter(queue))));
      return parked.length >= shorter.length || undefined;
    }, { description: 'every budget-spent message parked' });
    // One retry is the whole budget now: parked after two attempts, the second failure.
    expect(parked.map((message) => String(message.properties.messageId)).sort()).toEqual(ids(shorter).sort());
    for (const message of parked) expect(message.headers[failureHeader.attempt]).toBe(2);
    for (const id of ids(shorter)) expect(calls.get(id)).toBe(2);
    expectAppliedOnce();
  });

  it('parks at the new DELIVERY_LIMIT at restart, on a queue declared once', { timeout: 30_000 }, async () => {
    await stop();
    const [spared] = await publishWhileStopped();
    await crashOn(3);
    await start([100], 5);
    await waitFor(() => applied.has(spared as string), { description: 'three crashes are under a limit of five' });

    await stop();
    const [poison] = await publishWhileStopped();
    await crashOn(3);
    await start([100], 3);
    const [parked] = await waitFor(async () => {
      const got = await drainQueue(vhost.url, queueNames.deadLetter(queue));
      return got.length > 0 ? got : undefined;
    }, { description: 'the poison message parked by the consumer' });
    expect(parked?.properties.messageId).toBe(poison);
    expect(parked?.headers).toMatchObject({ [failureHeader.errorType]: 'DeliveryLimitError', [failureHeader.errorCode]: 'delivery_limit' });
    expect(calls.get(poison as string)).toBeUndefined();
    expect(await queueMessageCount(vhost, queue)).toBe(0);
    expectAppliedOnce();
  });

  /** Publishes one event with no consumer attached, through a connection of its own. */
  async function publishWhileStopped(): Promise<string[]> {
    const broker = await connectBroker({ url: vhost.url, name: 'settings-publisher', logger, topology: { exchange, queues: [] } });
    try {
      const message = itemCreated();
      const publisher = createAmqpPublisher(broker, { exchange, logger });
      expect(await publisher.publish([message])).toEqual([{ ok: true }]);
      await publisher.close();
      return [message.envelope.id];
    } finally {
      await broker.close();
    }
  }
});

describe('queues declared by an older version, with the delay and the limit as queue arguments', () => {
  let vhost: TestVhost;

  beforeAll(async () => {
    vhost = await createTestVhost('legacy');
  });
  afterAll(() => vhost.delete());

  it('starts on them, says what each keeps, and brings back what waits in the old delay queue', { timeout: 30_000 }, async () => {
    const legacy = { 'x-queue-type': 'quorum', 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' };
    const connection = await amqp.connect(vhost.url);
    // Confirmed: a quorum queue may drop an unconfirmed publish whose connection closes right after.
    const channel = await connection.createConfirmChannel();
    await channel.assertExchange(exchange, 'topic', { durable: true });
    await channel.assertQueue(queue, { durable: true, arguments: { ...legacy, 'x-delivery-limit': 3, 'x-dead-letter-exchange': `${exchange}.dead-letter`, 'x-dead-letter-routing-key': queue } });
    await channel.assertQueue(queueNames.retry(queue, 1), { durable: true, arguments: { ...legacy, 'x-message-ttl': 300, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queue } });
    const waiting = itemCreated();
    const properties = eventProperties(waiting);
    channel.sendToQueue(queueNames.retry(queue, 1), Buffer.from(JSON.stringify(waiting.envelope)), {
      ...properties,
      // As Warren's subscriber sends a retry: the broker dead-letters it back under the queue's name.
      headers: { ...properties.headers, [failureHeader.attempt]: 2, [failureHeader.originalExchange]: exchange, [failureHeader.originalRoutingKey]: waiting.routingKey },
    });
    await channel.waitForConfirms();
    await connection.close();

    const spec = topologyFor([{ queue, events: [itemCreatedV1], handle: async () => undefined }], { exchange, retry: retryPolicy({ delaysMs: [100, 100], deliveryLimit: 5 }) });
    const admin = await amqp.connect(vhost.url);
    const notices = await declareTopology(admin, spec).finally(() => admin.close());
    expect(notices.map(({ level, queue: name, setting, current }) => ({ level, queue: name, setting, current }))).toEqual([
      { level: 'warn', queue, setting: 'DELIVERY_LIMIT', current: '3' },
      { level: 'warn', queue: queueNames.retry(queue, 1), setting: 'RETRY_DELAYS_MS', current: '300' },
    ]);

    const received: ConsumedMessage[] = [];
    const broker = await connectBroker({ url: vhost.url, name: 'legacy-test', logger, topology: spec });
    const subscriber = await runConsumer(amqpSubscriberTransport(broker), { queue, events: [itemCreatedV1], handle: async (message) => void received.push(message) }, { logger, retry: retryPolicy({ delaysMs: [100, 100], deliveryLimit: 5 }) });
    try {
      const got = await waitFor(() => received.find((message) => message.envelope.id === waiting.envelope.id), { description: 'the message from the old delay queue' });
      expect(got.attempt).toBe(2);
    } finally {
      await subscriber.close();
      await broker.close();
    }
  });
});
