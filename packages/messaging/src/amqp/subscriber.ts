import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { Channel, ConsumeMessage } from 'amqplib';
import { failpoint, processAttributes, type Logger } from '@warren/telemetry';
import { compose, type ConsumerDefinition } from '../consumer.ts';
import { decodeDelivery, type RawDelivery } from '../decode.ts';
import { DeliveryLimitError, PermanentError } from '../errors.ts';
import { attemptOf, failureHeader, failureHeaders, trustedHeaders } from '../failure-headers.ts';
import { injectedFault } from '../fault.ts';
import type { ConsumerObservation, ConsumerObserver } from '../observer.ts';
import type { BrokerConnection } from './connection.ts';
import { createConfirmSender } from './confirm-sender.ts';
import { queueNames } from './topology.ts';

export interface SubscriberOptions {
  logger: Logger;
  /**
   * Unacked deliveries the broker may hand this consumer at once. After each (re)attach it takes
   * one at a time until a delivery that is not a redelivery arrives (crash-loop containment).
   */
  prefetch?: number;
  /**
   * Delay before each retry; its length is the retry budget. Each retried message carries its
   * delay as `expiration`, so the list may change from one start to the next; the topology must
   * declare as many delay queues.
   */
  retryDelaysMs?: readonly number[];
  /**
   * Deliveries of one message without a settlement (its consumer crashed, lost its channel or
   * returned it) after which the next delivery parks it in `<queue>.dlq` without running the
   * handler. Read from the quorum queue's `x-delivery-count`, so it takes effect at the next start
   * whatever the queue was declared with. Default: none (the broker's limit alone).
   */
  deliveryLimit?: number;
  /**
   * The consumer's own dependency (its database). A failure it reports as `isDown` does not
   * spend the message's retries: the message goes back to the queue, consumption pauses, and
   * `probe` is tried with backoff until it succeeds, then consumption resumes.
   */
  dependency?: DependencyGuard;
  /** Told how each delivery was settled (metrics). */
  observer?: ConsumerObserver;
}

export interface DependencyGuard {
  isDown(error: unknown): boolean;
  probe(): Promise<void>;
  /** Bounds of the probe backoff; default 250 ms doubling to 5 s. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

/** A running consumer of one queue. */
export interface Subscriber {
  readonly queue: string;
  /** True while a consumer is attached to the queue. */
  readonly consuming: boolean;
  /** Stops taking deliveries, waits for in-flight ones to settle, then closes its channels. */
  close(): Promise<void>;
}

/** Acks on the channel that delivered the message; after a channel loss the broker redelivers it. */
function settle(ch: Channel, message: ConsumeMessage, action: 'ack' | 'requeue'): void {
  try {
    if (action === 'ack') ch.ack(message);
    else ch.nack(message, false, true);
  } catch {
    // The channel closed under us: the delivery is redelivered and the inbox skips what committed.
  }
}

/**
 * Earlier unsettled deliveries of this message, as the quorum queue counts them (0 when absent).
 * RabbitMQ 3.10 to 4.2 count every return in `x-delivery-count`; 4.3 counts there only the returns
 * it takes for failures and every one in `x-acquired-count`, so the larger of the two counts a
 * consumer crash on every version.
 */
function deliveryCountOf(message: ConsumeMessage): number {
  const counts = ['x-delivery-count', 'x-acquired-count'].map((name) => Number(message.properties.headers?.[name] ?? 0));
  return Math.max(0, ...counts.filter((value) => Number.isInteger(value)));
}

/**
 * Consumes one queue with manual acks. Per delivery: decode and validate against the contract,
 * run the handler inside its middleware, then settle. The delivery is acked only after the
 * handler resolved (its effect committed) or after a copy was confirmed by the broker in a
 * delay queue (transient failure, budget left) or in `<queue>.dlq` (permanent failure or budget
 * spent, or `deliveryLimit` unsettled deliveries reached), so nothing is lost. When even that copy
 * cannot be sent it is nacked back to the queue, where the quorum queue's own delivery limit is
 * the last line of defence. A delivery's `x-warren-*` headers (attempt, failure history, original
 * exchange and routing key) count only when it came back through the default exchange (a delay
 * queue or `warren dlq replay`); from the events exchange they are dropped as the producer's.
 */
export async function subscribe(connection: BrokerConnection, consumer: ConsumerDefinition, options: SubscriberOptions): Promise<Subscriber> {
  const { logger, prefetch = 32, retryDelaysMs = [], deliveryLimit, dependency, observer } = options;
  const log = logger.child({ queue: consumer.queue });
  const handler = compose(consumer.handle, consumer.middleware);
  observer?.attached?.(consumer.queue);
  const sender = createConfirmSender(connection, log);
  const inFlight = new Set<Promise<void>>();
  let channel: Channel | undefined;
  let consumerTag: string | undefined;
  let closing = false;
  let paused: Promise<void> | undefined;
  // True while the channel takes one delivery at a time (see attach).
  let cautious = true;

  async function park(ch: Channel, message: ConsumeMessage, raw: RawDelivery, error: unknown, span: Span | undefined): Promise<'retried' | 'dead_lettered'> {
    const original = { exchange: message.fields.exchange, routingKey: message.fields.routingKey };
    const headers = failureHeaders(raw, original, error, new Date());
    const transient = !(error instanceof PermanentError);
    const delayMs = transient ? retryDelaysMs[raw.attempt - 1] : undefined;
    const target =
      delayMs === undefined
        ? { queue: queueNames.deadLetter(consumer.queue), attempt: raw.attempt, outcome: 'dead_lettered' }
        : { queue: queueNames.retry(consumer.queue, raw.attempt), attempt: raw.attempt + 1, outcome: 'retried' };
    await sender.send('', target.queue, message.content, {
      ...message.properties,
      headers: { ...headers, [failureHeader.attempt]: target.attempt },
      persistent: true,
      // The delay travels with the message: the delay queue has no TTL of its own (see declareTopology).
      expiration: delayMs === undefined ? undefined : String(delayMs),
    });
    // Recorded before the ack: acking ends the instrumentation's consumer span.
    span?.addEvent(target.outcome === 'retried' ? 'warren.retry_scheduled' : 'warren.dead_lettered', {
      'warren.attempt': raw.attempt,
      'warren.to_queue': target.queue,
    });
    settle(ch, message, 'ack');
    log.warn(
      { err: error, message_id: message.properties.messageId, correlation_id: raw.correlationId, attempt: raw.attempt, to: target.queue },
      `message ${target.outcome}`,
    );
    return target.outcome === 'retried' ? 'retried' : 'dead_lettered';
  }

  async function handleDelivery(ch: Channel, message: ConsumeMessage): Promise<void> {
    // x-warren-* headers of a delivery from the events exchange are the producer's, not Warren's.
    const headers = trustedHeaders(message.properties.headers ?? {}, message.fields.exchange);
    const raw: RawDelivery = {
      content: message.content,
      headers,
      correlationId: message.properties.correlationId as string | undefined,
      queue: consumer.queue,
      routingKey: message.fields.routingKey,
      redelivered: message.fields.redelivered,
      attempt: attemptOf(headers),
    };
    const started = performance.now();
    // The amqplib instrumentation runs this callback inside its CONSUMER span (a child of the
    // producer's, from the headers); Warren adds the current messaging attributes to it.
    const span = trace.getActiveSpan();
    span?.setAttributes({
      ...processAttributes({
        exchange: message.fields.exchange,
        routingKey: message.fields.routingKey,
        queue: consumer.queue,
        messageId: message.properties.messageId as string | undefined,
        correlationId: raw.correlationId,
        redelivered: raw.redelivered,
      }),
      'warren.attempt': raw.attempt,
    });
    const report = (result: ConsumerObservation['result'], endToEndSeconds?: number) =>
      observer?.consumed({
        handler: consumer.queue,
        result,
        seconds: (performance.now() - started) / 1_000,
        ...(endToEndSeconds === undefined ? {} : { endToEndSeconds }),
        ...(span ? { traceId: span.spanContext().traceId } : {}),
      });
    try {
      // Before anything that could crash on the message again: a delivery past the limit is parked unread.
      const deliveries = deliveryCountOf(message);
      if (deliveryLimit !== undefined && deliveries >= deliveryLimit) throw new DeliveryLimitError(deliveries, deliveryLimit);
      failpoint('consumer.before-handle', String(message.properties.messageId));
      const decoded = decodeDelivery(raw, consumer.events);
      injectedFault(consumer.queue, raw.attempt);
      const result = (await handler(decoded)) ?? 'applied';
      failpoint('consumer.after-commit');
      if (result === 'duplicate') span?.addEvent('warren.duplicate_skipped');
      settle(ch, message, 'ack');
      report(result, result === 'applied' ? (Date.now() - Date.parse(decoded.envelope.timestamp)) / 1_000 : undefined);
    } catch (error) {
      span?.recordException(error instanceof Error ? error : new Error(String(error)));
      span?.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      if (dependency?.isDown(error)) {
        settle(ch, message, 'requeue');
        report('requeued');
        pause(error);
        return;
      }
      try {
        report(await park(ch, message, raw, error, span));
      } catch (parkError) {
        log.error({ err: parkError, cause: error }, 'could not park a failed message; returning it to the queue');
        settle(ch, message, 'requeue');
        report('requeued');
      }
    }
  }

  /** Stops taking deliveries until the dependency answers again, then reattaches. */
  function pause(error: unknown): void {
    if (paused || closing || !dependency) return;
    log.warn({ err: error }, 'dependency unavailable; pausing consumption');
    const ch = channel;
    const tag = consumerTag;
    consumerTag = undefined;
    const { minDelayMs = 250, maxDelayMs = 5_000 } = dependency;
    paused = (async () => {
      if (ch && tag) await ch.cancel(tag).catch(() => undefined);
      for (let delay = minDelayMs; !closing; delay = Math.min(delay * 2, maxDelayMs)) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        try {
          await dependency.probe();
          break;
        } catch {
          // still down
        }
      }
      if (closing) return;
      // The channel may have been replaced by a reconnect while paused: consume on the live one.
      if (channel && !consumerTag) await consume(channel);
      log.info('dependency answers again; consumption resumed');
    })()
      .catch((resumeError: unknown) => log.error({ err: resumeError }, 'cannot resume consumption'))
      .finally(() => (paused = undefined));
  }

  async function consume(ch: Channel): Promise<void> {
    const reply = await ch.consume(consumer.queue, (message) => {
      if (!message) return;
      const work = handleDelivery(ch, message).finally(() => inFlight.delete(work));
      inFlight.add(work);
      if (cautious && !message.fields.redelivered) void widen(ch).catch((error: unknown) => log.warn({ err: error }, 'cannot raise the prefetch'));
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
    if (!cautious || !tag || channel !== ch || paused || closing) return;
    cautious = false;
    consumerTag = undefined;
    await ch.cancel(tag);
    await ch.prefetch(prefetch);
    // pause() or close() may have come in meanwhile: they consume again themselves, or not at all.
    if (channel === ch && !paused && !closing && !consumerTag) await consume(ch);
  }

  async function attach(): Promise<void> {
    const ch = await connection.model.createChannel();
    ch.on('error', (error: Error) => log.warn({ err: error }, 'consumer channel error'));
    ch.on('close', () => {
      if (channel !== ch) return;
      channel = undefined;
      consumerTag = undefined;
      // A channel closed by the broker alone (not the connection) is reopened here;
      // a lost connection reopens it through onReconnect.
      if (!closing && connection.state === 'connected') void attach().catch((error: unknown) => log.error({ err: error }, 'cannot reattach consumer'));
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
    if (!closing) void attach().catch((error: unknown) => log.error({ err: error }, 'cannot reattach consumer'));
  });
  await attach();
  log.info({ prefetch }, 'consuming');

  return {
    queue: consumer.queue,
    get consuming() {
      return consumerTag !== undefined;
    },
    async close() {
      closing = true;
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
