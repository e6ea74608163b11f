import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemCreatedV1 } from '@warren/contracts';
import { createLogger } from '@warren/telemetry';
import { createTestVhost, waitFor, type TestVhost } from '@warren/testing';
import { PermanentError, connectBroker, createEnvelope, failureHeader, amqpSubscriberTransport, retryPolicy, runConsumer, topologyFor, type BrokerConnection, type ConsumerDefinition, type Subscriber } from './index.ts';
import { entrySize, tableSize, truncatedHeader } from './header-budget.ts';
import { drainQueue, publishRaw, type PeekedMessage } from './testing/index.ts';

const logger = createLogger({ service: 'parking-test', level: 'silent' });
const exchange = 'events';
const queue = 'inventory.item-created';

function body(subject: string): string {
  const envelope = createEnvelope({
    definition: itemCreatedV1,
    sourceService: 'catalog',
    subject,
    data: { id: crypto.randomUUID(), name: 'Lamp', sku: 'SKU-1', priceCents: 1999, createdAt: new Date().toISOString() },
  });
  return JSON.stringify(envelope);
}

/** A producer's forgery of the history Warren writes when it parks a message. */
const forged = {
  [failureHeader.attempt]: 7,
  [failureHeader.firstFailureAt]: '2000-01-01T00:00:00.000Z',
  [failureHeader.originalExchange]: 'elsewhere',
  [failureHeader.originalRoutingKey]: 'payment.refunded.v1',
  [failureHeader.queue]: 'billing.refunds',
};

describe('parking a failed message', () => {
  let vhost: TestVhost;
  let broker: BrokerConnection;
  let subscriber: Subscriber;
  const deliveries = new Map<string, number>();
  const consumer: ConsumerDefinition = {
    queue,
    events: [itemCreatedV1],
    handle: async (message) => {
      const { subject } = message.envelope;
      deliveries.set(subject, (deliveries.get(subject) ?? 0) + 1);
      if (subject.startsWith('transient')) throw new Error('database timeout');
      throw new PermanentError('refused by handler', { code: 'refused' });
    },
  };

  async function parked(subject: string): Promise<PeekedMessage> {
    return waitFor(async () => (await drainQueue(vhost.url, `${queue}.dlq`)).find((message) => message.body.includes(subject)), {
      description: `${subject} in the .dlq`,
    });
  }

  beforeAll(async () => {
    vhost = await createTestVhost();
    broker = await connectBroker({ url: vhost.url, name: 'test', logger, topology: topologyFor([consumer], { exchange, retry: retryPolicy({ delaysMs: [50] }) }) });
    subscriber = await runConsumer(amqpSubscriberTransport(broker), consumer, { logger, retry: retryPolicy({ delaysMs: [50] }) });
  });
  afterAll(async () => {
    await subscriber.close();
    await broker.close();
    await vhost.delete();
  });

  it('parks a message with more headers than a copy can carry after one delivery, with the reason', async () => {
    // As large as amqplib lets a producer send (a 64 KiB table): the failure headers on top used to
    // push the copy past it, so it could never be parked by Warren.
    const contract = { correlation_id: 'corr-bulky', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
    const blob = 'b'.repeat(Math.floor((65_300 - tableSize(contract)) / 6) - entrySize('x-app-blob-0', ''));
    const headers = { ...contract, ...Object.fromEntries(Array.from({ length: 6 }, (_, index) => [`x-app-blob-${index}`, blob])) };
    expect(tableSize(headers)).toBeGreaterThan(65_000);
    await publishRaw(vhost.url, exchange, itemCreatedV1.routingKey, body('bulky'), { messageId: 'bulky-1', headers });
    const message = await parked('bulky');
    expect(deliveries.get('bulky')).toBe(1);
    expect(message.headers).toMatchObject({
      [failureHeader.errorMessage]: 'refused by handler',
      [failureHeader.errorCode]: 'refused',
      [failureHeader.attempt]: 1,
      [failureHeader.originalRoutingKey]: itemCreatedV1.routingKey,
      correlation_id: 'corr-bulky',
    });
    expect(message.headers.traceparent).toMatch(/^00-0af7/);
    expect(String(message.headers[truncatedHeader])).toMatch(/x-app-blob-\d=10\d+/);
  });

  it('ignores x-warren-* headers a producer sent through the events exchange', async () => {
    await publishRaw(vhost.url, exchange, itemCreatedV1.routingKey, body('forged'), { messageId: 'forged-1', headers: forged });
    const message = await parked('forged');
    expect(deliveries.get('forged')).toBe(1);
    expect(message.headers).toMatchObject({
      [failureHeader.attempt]: 1,
      [failureHeader.originalExchange]: exchange,
      [failureHeader.originalRoutingKey]: itemCreatedV1.routingKey,
      [failureHeader.queue]: queue,
    });
    expect(message.headers[failureHeader.firstFailureAt]).not.toBe(forged[failureHeader.firstFailureAt]);
  });

  it('still spends the real retry budget and keeps its own history through the delay queue', async () => {
    await publishRaw(vhost.url, exchange, itemCreatedV1.routingKey, body('transient-forged'), { messageId: 'forged-2', headers: forged });
    const message = await parked('transient-forged');
    // One delivery from the events exchange, one back from the delay queue: the forged attempt 7 spent nothing.
    expect(deliveries.get('transient-forged')).toBe(2);
    expect(message.headers).toMatchObject({
      [failureHeader.attempt]: 2,
      [failureHeader.errorMessage]: 'database timeout',
      [failureHeader.originalExchange]: exchange,
      [failureHeader.originalRoutingKey]: itemCreatedV1.routingKey,
    });
    const first = Date.parse(String(message.headers[failureHeader.firstFailureAt]));
    expect(first).toBeGreaterThan(Date.parse('2020-01-01'));
    expect(first).toBeLessThan(Date.parse(String(message.headers[failureHeader.lastFailureAt])));
  });

  it('trusts the history of a message replayed to its queue through the default exchange', async () => {
    // As `warren dlq replay` sends it: to '' with the queue's name, attempt reset, history kept.
    const history = {
      [failureHeader.attempt]: 1,
      [failureHeader.firstFailureAt]: '2025-06-01T10:00:00.000Z',
      [failureHeader.originalExchange]: exchange,
      [failureHeader.originalRoutingKey]: itemCreatedV1.routingKey,
      [failureHeader.queue]: queue,
      'x-warren-replay-count': 1,
    };
    await publishRaw(vhost.url, '', queue, body('replayed'), { messageId: 'replayed-1', headers: history });
    const message = await parked('replayed');
    expect(message.headers).toMatchObject({ ...history, [failureHeader.errorMessage]: 'refused by handler' });
  });
});
