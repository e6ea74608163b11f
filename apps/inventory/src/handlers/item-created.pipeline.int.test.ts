import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { itemCreatedV1 } from '@warren/contracts';
import { createEnvelope, failureHeader, queueNames, retryPolicy, runConsumer, topologyFor, type ConsumerObservation, type OutgoingMessage, type Subscriber } from '@warren/messaging';
import { createMemoryBroker, type MemoryBroker } from '@warren/messaging/testing';
import { createServiceTestContext, type ServiceTestContext } from '@warren/service/testing';
import { itemCreatedConsumer, itemCreatedQueue } from './item-created.ts';

const migrations = fileURLToPath(new URL('../db/migrations', import.meta.url));

function itemCreated(itemId: string, data: Record<string, unknown> = {}): OutgoingMessage {
  const envelope = createEnvelope({
    definition: itemCreatedV1,
    sourceService: 'catalog',
    subject: itemId,
    data: { id: itemId, name: 'Chair', sku: `SKU-${itemId.slice(0, 8)}`, priceCents: 4999, createdAt: new Date().toISOString() },
  });
  return { envelope: { ...envelope, data: { ...envelope.data, ...data } }, routingKey: itemCreatedV1.routingKey, headers: { correlation_id: 'corr', source_service: 'catalog' } };
}

// How a handler author tests a handler with the real consumer pipeline (decode, inbox, retry,
// park, metrics) and a real database, but no broker: the in-memory transport.
describe('item.created on the in-memory broker, through the real consumer pipeline', () => {
  let context: ServiceTestContext;
  let broker: MemoryBroker;
  let subscriber: Subscriber;
  const observed: ConsumerObservation[] = [];

  beforeAll(async () => {
    context = await createServiceTestContext('inventory', migrations);
    const consumer = itemCreatedConsumer(context.deps);
    const retry = retryPolicy({ delaysMs: [20] });
    broker = createMemoryBroker();
    broker.declare(topologyFor([consumer], { exchange: 'events', retry }));
    subscriber = await runConsumer(broker.transport, consumer, { logger: context.deps.logger, retry, observer: { consumed: (observation) => observed.push(observation) } });
  });
  afterAll(async () => {
    await subscriber.close();
    broker.close();
    await context.close();
  });

  const stockOf = async (itemId: string) => context.sql<{ on_hand: number }[]>`select on_hand from stock where item_id = ${itemId}`;

  it('opens stock once for an event delivered twice, and says the second was a duplicate', async () => {
    const event = itemCreated(crypto.randomUUID());
    const publisher = broker.publisher('events');
    expect(await publisher.publish([event])).toEqual([{ ok: true }]);
    await vi.waitFor(async () => expect(await stockOf(event.envelope.subject)).toEqual([{ on_hand: 0 }]));
    await publisher.publish([event]);
    await vi.waitFor(() => expect(observed.filter((seen) => seen.result === 'duplicate')).toHaveLength(1));
    const [inbox] = await context.sql<{ count: string }[]>`select count(*) from inbox_messages where message_id = ${event.envelope.id}`;
    expect(inbox?.count).toBe('1');
  });

  it('parks an event whose data breaks its contract, with the reason, and opens no stock', async () => {
    const broken = itemCreated(crypto.randomUUID(), { priceCents: 'free' });
    await broker.publisher('events').publish([broken]);
    const parked = await vi.waitFor(() => {
      const [message] = broker.take(queueNames.deadLetter(itemCreatedQueue));
      expect(message).toBeDefined();
      return message;
    });
    expect(parked?.properties.messageId).toBe(broken.envelope.id);
    expect(parked?.properties.headers?.[failureHeader.errorCode]).toBe('invalid_data');
    expect(await stockOf(broken.envelope.subject)).toEqual([]);
  });
});
