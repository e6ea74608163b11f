import amqp from 'amqplib';
import { itemCreatedV1 } from '@warren/contracts';
import { createEnvelope, declareTopology, eventProperties, failureHeader, type OutgoingMessage } from '@warren/messaging';
import { publishRaw } from '@warren/messaging/testing';
import { waitFor, type TestVhost } from '@warren/testing';

/** Declares the events exchange and, per queue, the work queue, its `.dlq` and no delay queues. */
export async function declareQueues(vhost: TestVhost, queues: { queue: string; deliveryLimit: number }[]): Promise<void> {
  const connection = await amqp.connect(vhost.url);
  try {
    await declareTopology(connection, {
      exchange: 'events',
      // The broker's own limit is the one these tests exercise (a broker dead-letter).
      queues: queues.map(({ queue, deliveryLimit }) => ({ queue, bindings: ['item.created.v1'], retryDelaysMs: [], deliveryLimit, brokerDeliveryLimit: deliveryLimit })),
    });
  } finally {
    await connection.close();
  }
}

/** A valid item.created event as the catalog's outbox would hold it. */
export function itemCreated(correlationId = `corr-${crypto.randomUUID().slice(0, 8)}`): OutgoingMessage {
  const subject = crypto.randomUUID();
  const envelope = createEnvelope({
    definition: itemCreatedV1,
    sourceService: 'catalog',
    subject,
    data: { id: subject, name: 'Lamp', sku: `SKU-${subject.slice(0, 8)}`, priceCents: 1999, createdAt: new Date().toISOString() },
  });
  return { envelope, routingKey: itemCreatedV1.routingKey, headers: { correlation_id: correlationId, source_service: 'catalog', idempotency_key: 'key-1' } };
}

export interface ParkOptions {
  /** The queue it failed in (`x-warren-queue`). */
  queue: string;
  /** The dead-letter queue it is parked in; default `<queue>.dlq`. */
  into?: string;
  /** The handler's error; `stack` defaults to one frame in inventory's item-created handler. */
  error: { type: string; message: string; code?: string; stack?: string };
  attempt: number;
  failedAt: Date;
}

/** Parks `message` in `<queue>.dlq` exactly as the subscriber does: its properties plus the `x-warren-*` failure headers. */
export async function park(vhost: TestVhost, message: OutgoingMessage, { queue, into = `${queue}.dlq`, error, attempt, failedAt }: ParkOptions): Promise<void> {
  const properties = eventProperties(message);
  const headers: Record<string, unknown> = {
    ...(properties.headers as Record<string, string>),
    [failureHeader.attempt]: attempt,
    [failureHeader.errorType]: error.type,
    ...(error.code ? { [failureHeader.errorCode]: error.code } : {}),
    [failureHeader.errorMessage]: error.message,
    [failureHeader.errorStack]: error.stack ?? `${error.type}: ${error.message}\n    at handler (inventory/src/handlers/item-created.ts:12:11)`,
    [failureHeader.firstFailureAt]: failedAt.toISOString(),
    [failureHeader.lastFailureAt]: failedAt.toISOString(),
    [failureHeader.originalExchange]: 'events',
    [failureHeader.originalRoutingKey]: message.routingKey,
    [failureHeader.queue]: queue,
  };
  await publishRaw(vhost.url, '', into, JSON.stringify(message.envelope), { ...properties, headers });
}

/**
 * The message ids ready in `queue`, in order, read with basic.get and returned by closing the
 * channel (exact, unlike a passive declare's count, which quorum queues report with a lag).
 */
export async function readyIds(vhost: TestVhost, queue: string): Promise<string[]> {
  const connection = await amqp.connect(vhost.url);
  try {
    const channel = await connection.createChannel();
    const ids: string[] = [];
    for (let message = await channel.get(queue); message; message = await channel.get(queue)) {
      ids.push(String(message.properties.messageId));
    }
    return ids;
  } finally {
    await connection.close();
  }
}

/**
 * Has RabbitMQ itself dead-letter `message` out of `queue` (declared with delivery limit 1): it is
 * published to the queue, then taken and returned until the broker moves it to `<queue>.dlq`.
 */
export async function brokerDeadLetter(vhost: TestVhost, queue: string, message: OutgoingMessage): Promise<void> {
  await publishRaw(vhost.url, '', queue, JSON.stringify(message.envelope), eventProperties(message));
  const connection = await amqp.connect(vhost.url);
  try {
    const channel = await connection.createChannel();
    await waitFor(
      async () => {
        const delivery = await channel.get(queue, { noAck: false });
        if (delivery) channel.nack(delivery, false, true);
        return (await readyIds(vhost, `${queue}.dlq`)).includes(message.envelope.id);
      },
      { description: `${queue} to dead-letter a message` },
    );
  } finally {
    await connection.close();
  }
}
