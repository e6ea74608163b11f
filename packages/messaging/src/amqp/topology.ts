import { declareQueue, openChannel, queueExists, type ChannelSource } from './declare-queue.ts';
import { adviceFor, staleDelayQueueNotice, type TopologyNotice } from './topology-notices.ts';

/** One consumer's queue: what it binds, how it retries, when a message is given up on. */
export interface QueueSpec {
  /** `<service>.<handler>`, e.g. `inventory.item-created`. */
  queue: string;
  /** Routing keys bound from the events exchange (`item.created.v1`, or `#` for every event). */
  bindings: readonly string[];
  /**
   * One delay queue per entry, `<queue>.retry.<n>`. The delay itself travels on each retried
   * message (its `expiration`), not on the queue, so a changed list needs nothing redeclared.
   */
  retryDelaysMs: readonly number[];
  /**
   * `DELIVERY_LIMIT`: deliveries without a settlement after which the consumer parks a message
   * itself. Used here only to judge an existing queue's broker-side limit.
   */
  deliveryLimit: number;
  /**
   * The broker's own `x-delivery-limit` on a work queue Warren creates: the last line of defence
   * against a consumer that cannot park. Default `brokerDeliveryLimit`, out of `DELIVERY_LIMIT`'s
   * reach so that any setting of it takes effect.
   */
  brokerDeliveryLimit?: number;
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

/** The work queue's broker-side delivery limit: the highest `DELIVERY_LIMIT` accepts. */
export const brokerDeliveryLimit = 1_000;

function quorum(extra: Record<string, unknown>): Record<string, unknown> {
  return { 'x-queue-type': 'quorum', ...extra };
}

/**
 * Declares the events exchange, its dead-letter exchange and, per consumer: the work queue
 * (quorum, broker delivery limit, at-least-once dead-lettering into `<queue>.dlq`), the dead-letter
 * queue and the delay queues `<queue>.retry.<n>`, which hold no TTL of their own: a retried
 * message carries its delay as `expiration` and flows back to the work queue when it ends.
 *
 * Idempotent, and no setting reaches a queue argument that can change with it, so a changed
 * `RETRY_DELAYS_MS` or `DELIVERY_LIMIT` declares the same queues again. A queue that exists with
 * other arguments (created by an older version or other settings) is kept as it is and reported
 * as a notice naming the setting and how to apply it; only a different queue type is refused.
 * Delay queues past the end of the list are left in place (their messages still return to the
 * work queue) and reported. Opens its own channels on `source` and closes them.
 */
export async function declareTopology(source: ChannelSource, { exchange, queues }: TopologySpec): Promise<TopologyNotice[]> {
  const notices: TopologyNotice[] = [];
  const deadLetterExchange = queueNames.deadLetterExchange(exchange);
  let channel = await openChannel(source);
  const declare = async (queue: string, arguments_: Record<string, unknown>, spec: QueueSpec) => {
    const result = await declareQueue(source, channel, queue, { durable: true, arguments: arguments_ });
    channel = result.channel;
    if (result.mismatch) notices.push(adviceFor(result.mismatch, spec));
  };
  try {
    await channel.assertExchange(exchange, 'topic', { durable: true });
    await channel.assertExchange(deadLetterExchange, 'direct', { durable: true });
    for (const spec of queues) {
      const deadLetterQueue = queueNames.deadLetter(spec.queue);
      // Operators browse a dead-letter queue by taking messages and returning them; RabbitMQ 4
      // counts each return against a quorum queue's delivery limit (20 by default) and would drop
      // a message past it, so the limit here is set out of reach.
      await declare(deadLetterQueue, quorum({ 'x-delivery-limit': deadLetterDeliveryLimit }), spec);
      await channel.bindQueue(deadLetterQueue, deadLetterExchange, spec.queue);
      const workQueue = {
        'x-delivery-limit': spec.brokerDeliveryLimit ?? brokerDeliveryLimit,
        'x-dead-letter-exchange': deadLetterExchange,
        'x-dead-letter-routing-key': spec.queue,
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
      };
      await declare(spec.queue, quorum(workQueue), spec);
      for (const key of spec.bindings) await channel.bindQueue(spec.queue, exchange, key);
      const delayQueue = {
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': spec.queue,
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
      };
      for (const attempt of spec.retryDelaysMs.keys()) await declare(queueNames.retry(spec.queue, attempt + 1), quorum(delayQueue), spec);
      for (let attempt = spec.retryDelaysMs.length + 1; await queueExists(source, queueNames.retry(spec.queue, attempt)); attempt += 1) {
        notices.push(staleDelayQueueNotice(spec, queueNames.retry(spec.queue, attempt)));
      }
    }
  } finally {
    await channel.close().catch(() => undefined);
  }
  return notices;
}

export type { TopologyNotice };
