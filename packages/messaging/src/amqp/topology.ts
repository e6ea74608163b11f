import type { Channel } from 'amqplib';

/** One consumer's queue: what it binds, how it retries, when the broker gives up on it. */
export interface QueueSpec {
  /** `<service>.<handler>`, e.g. `inventory.item-created`. */
  queue: string;
  /** Routing keys bound from the events exchange (`item.created.v1`, or `#` for every event). */
  bindings: readonly string[];
  /** One delay queue per entry: `<queue>.retry.<n>` holds a message for that long. */
  retryDelaysMs: readonly number[];
  /**
   * Deliveries after which the broker itself dead-letters a message: the last line of defence
   * against a consumer that crashes on a message before it can classify it.
   */
  deliveryLimit: number;
}

export interface TopologySpec {
  /** The durable topic exchange events are published to (`events`). */
  exchange: string;
  queues: readonly QueueSpec[];
}

/** Names derived from a queue name; the only place they are spelled. */
export const queueNames = {
  deadLetter: (queue: string) => `${queue}.dlq`,
  retry: (queue: string, attempt: number) => `${queue}.retry.${attempt}`,
  deadLetterExchange: (exchange: string) => `${exchange}.dead-letter`,
};

/** Returns a parked message survives before RabbitMQ would drop it (effectively unlimited). */
export const deadLetterDeliveryLimit = 1_000_000_000;

function quorum(extra: Record<string, unknown>): Record<string, unknown> {
  return { 'x-queue-type': 'quorum', ...extra };
}

/**
 * Declares the events exchange, its dead-letter exchange and, per consumer: the work queue
 * (quorum, delivery limit, at-least-once dead-lettering into `<queue>.dlq`), the dead-letter
 * queue and the delay queues whose expired messages flow back to the work queue.
 * Idempotent; fails with PRECONDITION_FAILED if a queue exists with other arguments.
 */
export async function declareTopology(channel: Channel, { exchange, queues }: TopologySpec): Promise<void> {
  const deadLetterExchange = queueNames.deadLetterExchange(exchange);
  await channel.assertExchange(exchange, 'topic', { durable: true });
  await channel.assertExchange(deadLetterExchange, 'direct', { durable: true });
  for (const spec of queues) {
    const deadLetterQueue = queueNames.deadLetter(spec.queue);
    // Operators browse a dead-letter queue by taking messages and returning them; RabbitMQ 4
    // counts each return against a quorum queue's delivery limit (20 by default) and would drop
    // a message past it, so the limit here is set out of reach.
    await channel.assertQueue(deadLetterQueue, { durable: true, arguments: quorum({ 'x-delivery-limit': deadLetterDeliveryLimit }) });
    await channel.bindQueue(deadLetterQueue, deadLetterExchange, spec.queue);
    await channel.assertQueue(spec.queue, {
      durable: true,
      arguments: quorum({
        'x-delivery-limit': spec.deliveryLimit,
        'x-dead-letter-exchange': deadLetterExchange,
        'x-dead-letter-routing-key': spec.queue,
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
      }),
    });
    for (const key of spec.bindings) await channel.bindQueue(spec.queue, exchange, key);
    for (const [index, delayMs] of spec.retryDelaysMs.entries()) {
      await channel.assertQueue(queueNames.retry(spec.queue, index + 1), {
        durable: true,
        arguments: quorum({
          'x-message-ttl': delayMs,
          'x-dead-letter-exchange': '',
          'x-dead-letter-routing-key': spec.queue,
          'x-dead-letter-strategy': 'at-least-once',
          'x-overflow': 'reject-publish',
        }),
      });
    }
  }
}
