import type { Channel, ConsumeMessage } from 'amqplib';
import { settlementOf, toDelivery, type DeliveryControl, type DeliveryHandler, type Settlement } from '../pipeline/delivery.ts';
import type { SubscribeOptions, Subscriber, SubscriberTransport } from '../transport.ts';
import type { BrokerConnection } from './connection.ts';
import { createConfirmSender } from './confirm-sender.ts';

/** Acks on the channel that delivered the message; after a channel loss the broker redelivers it. */
function settle(ch: Channel, message: ConsumeMessage, settlement: Settlement): void {
  try {
    if (settlement.result === 'requeued') ch.nack(message, false, true);
    else ch.ack(message);
  } catch {
    // The channel closed under us: the delivery is redelivered and the inbox skips what committed.
  }
}

/** The RabbitMQ side of consuming: channels, prefetch, consumer tags, acks and reattaching. */
export function amqpSubscriberTransport(connection: BrokerConnection): SubscriberTransport {
  return { subscribe: (queue, pipeline, options) => subscribe(connection, queue, pipeline, options) };
}

/**
 * Consumes one queue with manual acks and hands each delivery to the pipeline, then settles it as
 * the pipeline says. Copies the pipeline sends (retries, parked messages) go through a confirm
 * channel of their own to the default exchange. Reattaches after a lost channel or connection.
 */
async function subscribe(
  connection: BrokerConnection,
  queue: string,
  pipeline: (control: DeliveryControl) => DeliveryHandler,
  { prefetch, logger }: SubscribeOptions,
): Promise<Subscriber> {
  const sender = createConfirmSender(connection, logger);
  const closed = new AbortController();
  const inFlight = new Set<Promise<void>>();
  let channel: Channel | undefined;
  let consumerTag: string | undefined;
  let paused: Promise<void> | undefined;
  // True while the channel takes one delivery at a time (see attach).
  let cautious = true;

  const handle = pipeline({
    send: (target, content, properties) => sender.send('', target, content, { ...properties, headers: properties.headers ?? {} }),
    pause(resume) {
      if (paused || closed.signal.aborted) return;
      const ch = channel;
      const tag = consumerTag;
      consumerTag = undefined;
      paused = (async () => {
        if (ch && tag) await ch.cancel(tag).catch(() => undefined);
        await resume(closed.signal);
        // The channel may have been replaced by a reconnect while paused: consume on the live one.
        if (!closed.signal.aborted && channel && !consumerTag) await consume(channel);
      })()
        .catch((error: unknown) => logger.error({ err: error }, 'cannot resume consumption'))
        .finally(() => (paused = undefined));
    },
  });

  async function deliver(ch: Channel, message: ConsumeMessage): Promise<void> {
    settle(ch, message, await settlementOf(handle, toDelivery(queue, message), logger));
  }

  async function consume(ch: Channel): Promise<void> {
    const reply = await ch.consume(queue, (message) => {
      if (!message) return;
      const work = deliver(ch, message).finally(() => inFlight.delete(work));
      inFlight.add(work);
      if (cautious && !message.fields.redelivered) void widen(ch).catch((error: unknown) => logger.warn({ err: error }, 'cannot raise the prefetch'));
    });
    consumerTag = reply.consumerTag;
  }

  /**
   * A fresh delivery means the redeliveries, which the queue hands out first, are all settled:
   * consume again with the full prefetch. The delivery that got here is still settled on `ch`
   * (so for a moment one more than `prefetch` can be in flight).
   */
  async function widen(ch: Channel): Promise<void> {
    const tag = consumerTag;
    if (!cautious || !tag || channel !== ch || paused || closed.signal.aborted) return;
    cautious = false;
    consumerTag = undefined;
    await ch.cancel(tag);
    await ch.prefetch(prefetch);
    // A pause or close may have come in meanwhile: they consume again themselves, or not at all.
    if (channel === ch && !paused && !closed.signal.aborted && !consumerTag) await consume(ch);
  }

  async function attach(): Promise<void> {
    const ch = await connection.model.createChannel();
    ch.on('error', (error: Error) => logger.warn({ err: error }, 'consumer channel error'));
    ch.on('close', () => {
      if (channel !== ch) return;
      channel = undefined;
      consumerTag = undefined;
      // A channel closed by the broker alone (not the connection) is reopened here;
      // a lost connection reopens it through onReconnect.
      if (!closed.signal.aborted && connection.state === 'connected') void attach().catch((error: unknown) => logger.error({ err: error }, 'cannot reattach consumer'));
    });
    // After a crash or a lost connection the queue hands the returned deliveries out first. Taken
    // one at a time, a message that kills its consumer is never in flight with others, so the
    // delivery limit dead-letters it alone instead of every message that was returned with it.
    cautious = true;
    await ch.prefetch(1);
    channel = ch;
    if (!paused) await consume(ch);
  }

  const unsubscribe = connection.onReconnect(() => {
    if (!closed.signal.aborted) void attach().catch((error: unknown) => logger.error({ err: error }, 'cannot reattach consumer'));
  });
  await attach();
  logger.info({ prefetch }, 'consuming');

  return {
    queue,
    get consuming() {
      return consumerTag !== undefined;
    },
    async close() {
      closed.abort();
      unsubscribe();
      const ch = channel;
      if (ch && consumerTag) await ch.cancel(consumerTag).catch(() => undefined);
      consumerTag = undefined;
      await paused;
      await Promise.allSettled([...inFlight]);
      channel = undefined;
      await ch?.close().catch(() => undefined);
      await sender.close();
    },
  };
}
