import amqp from 'amqplib';
import type { GetMessage } from 'amqplib';

/** A message read back from a queue for assertions. */
export interface PeekedMessage {
  body: string;
  headers: Record<string, unknown>;
  properties: GetMessage['properties'];
  routingKey: string;
}

/**
 * Takes up to `max` messages off `queue` (acking them) with basic.get, for tests that assert what
 * reached a queue such as `<queue>.dlq`.
 */
export async function drainQueue(url: string, queue: string, max = 1_000): Promise<PeekedMessage[]> {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createChannel();
    const messages: PeekedMessage[] = [];
    while (messages.length < max) {
      const message = await channel.get(queue, { noAck: true });
      if (!message) break;
      messages.push({
        body: message.content.toString('utf8'),
        headers: message.properties.headers ?? {},
        properties: message.properties,
        routingKey: message.fields.routingKey,
      });
    }
    return messages;
  } finally {
    await connection.close();
  }
}

/** Publishes raw bytes to an exchange, bypassing every Warren check (for poison-message tests). */
export async function publishRaw(
  url: string,
  exchange: string,
  routingKey: string,
  content: string | Buffer,
  options: amqp.Options.Publish = {},
): Promise<void> {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createConfirmChannel();
    channel.publish(exchange, routingKey, typeof content === 'string' ? Buffer.from(content) : content, options);
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
}

// The in-memory broker: the publisher and subscriber ports without RabbitMQ, for handler tests.
export { createMemoryBroker } from '../memory/broker.ts';
export type { MemoryBroker } from '../memory/broker.ts';
