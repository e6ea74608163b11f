import type { Logger } from '@warren/telemetry';
import type { RawDelivery } from '../decode.ts';
import { attemptOf, trustedHeaders } from '../failure-headers.ts';

/**
 * The AMQP 0-9-1 basic properties of a message, as a transport hands them over and as a copy is
 * sent with. amqplib's `MessageProperties` and `Options.Publish` both fit.
 */
export interface MessageProperties {
  contentType?: string | undefined;
  contentEncoding?: string | undefined;
  headers?: Record<string, unknown> | undefined;
  deliveryMode?: number | boolean | undefined;
  priority?: number | undefined;
  correlationId?: string | undefined;
  replyTo?: string | undefined;
  expiration?: string | number | undefined;
  messageId?: string | undefined;
  timestamp?: number | undefined;
  type?: string | undefined;
  userId?: string | undefined;
  appId?: string | undefined;
}

/** A message as a queue delivers it: amqplib's `ConsumeMessage` has this shape. */
export interface TransportMessage {
  content: Buffer;
  fields: { exchange: string; routingKey: string; redelivered: boolean };
  properties: MessageProperties;
}

/** One delivery of one message from one queue, as the consumer pipeline sees it. */
export interface Delivery {
  queue: string;
  message: TransportMessage;
  /** What the contract decoder and the failure headers read (headers already trusted). */
  raw: RawDelivery;
  /**
   * Earlier unsettled deliveries of this message, as the quorum queue counts them (0 when absent).
   * RabbitMQ 3.10 to 4.2 count every return in `x-delivery-count`; 4.3 counts there only the returns
   * it takes for failures and every one in `x-acquired-count`, so the larger of the two counts a
   * consumer crash on every version.
   */
  deliveryCount: number;
}

/** How a delivery ended; the transport acks every result but `requeued`, which it returns to the queue. */
export type SettlementResult = 'applied' | 'duplicate' | 'retried' | 'dead_lettered' | 'requeued';

export interface Settlement {
  result: SettlementResult;
  /** The failure behind a `retried`, `dead_lettered` or `requeued` result. */
  error?: unknown;
  /** The queue a copy was sent to (`retried`, `dead_lettered`). */
  toQueue?: string;
  /** The attempt the delivery was (for a copy: the attempt it failed on). */
  attempt?: number;
  /** The event's own timestamp, for an applied event (end-to-end latency). */
  eventTimestamp?: string;
}

/**
 * The pipeline and each stage of it. Stages inside retry-or-park may throw (that is the failure it
 * handles); the pipeline as a whole resolves with how to settle and never throws.
 */
export type DeliveryHandler = (delivery: Delivery) => Promise<Settlement>;

/** One policy around the rest of the pipeline (see router.ts for the order). */
export type DeliveryMiddleware = (next: DeliveryHandler) => DeliveryHandler;

/** What a transport lets the pipeline do besides settling the current delivery. */
export interface DeliveryControl {
  /** Sends a copy straight to a queue; resolves once the broker has confirmed it, rejects otherwise. */
  send(queue: string, content: Buffer, properties: MessageProperties): Promise<void>;
  /**
   * Stops taking deliveries until `resume` resolves, then takes them again. `signal` aborts when the
   * subscriber closes meanwhile. A call while already paused is ignored.
   */
  pause(resume: (signal: AbortSignal) => Promise<void>): void;
}

const deliveryCountHeaders = ['x-delivery-count', 'x-acquired-count'];

/** The larger of the counts in `deliveryCountHeaders` that are integers; 0 when there is none. */
function deliveryCountOf(headers: Readonly<Record<string, unknown>>): number {
  let count = 0;
  for (const name of deliveryCountHeaders) {
    const value = Number(headers[name] ?? 0);
    if (Number.isInteger(value) && value > count) count = value;
  }
  return count;
}

/**
 * Reads a transport message into a delivery. A message's `x-warren-*` headers count only when it
 * came back through the default exchange (a delay queue or `warren dlq replay`); from the events
 * exchange they are dropped as the producer's.
 */
export function toDelivery(queue: string, message: TransportMessage): Delivery {
  const received = message.properties.headers ?? {};
  const headers = trustedHeaders(received, message.fields.exchange);
  return {
    queue,
    message,
    deliveryCount: deliveryCountOf(received),
    raw: {
      content: message.content,
      headers,
      correlationId: message.properties.correlationId,
      queue,
      routingKey: message.fields.routingKey,
      redelivered: message.fields.redelivered,
      attempt: attemptOf(headers),
    },
  };
}

/**
 * Runs the pipeline on one delivery for a transport: whatever escapes it (a bug, since
 * retry-or-park answers every failure) returns the message to its queue, so nothing is lost.
 */
export function settlementOf(handle: DeliveryHandler, delivery: Delivery, logger: Pick<Logger, 'error'>): Promise<Settlement> {
  return handle(delivery).catch((error: unknown): Settlement => {
    logger.error({ err: error }, 'consumer pipeline failed; returning the message to the queue');
    return { result: 'requeued', error };
  });
}
