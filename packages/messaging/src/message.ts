import type { Envelope } from '@warren/contracts';

/** The AMQP headers every Warren event carries (ARCHITECTURE.md, "AMQP headers"). */
export interface EventHeaders {
  correlation_id: string;
  source_service: string;
  idempotency_key?: string;
  causation_id?: string;
  traceparent?: string;
  tracestate?: string;
}

/** An event ready for the broker: its body, routing key and headers. */
export interface OutgoingMessage {
  envelope: Envelope;
  routingKey: string;
  /** `traceparent`/`tracestate` here are the writer's context: the publish continues its trace. */
  headers: EventHeaders;
  /** When the event entered the outbox, to show the wait in its trace. */
  enqueuedAt?: Date;
}

/**
 * A delivery whose body passed the envelope and payload contract, read tolerantly: the envelope
 * and data may hold fields the contract does not name (kept as received).
 */
export interface ConsumedMessage<TData = unknown> {
  envelope: Envelope<TData>;
  headers: Readonly<Record<string, unknown>>;
  correlationId: string | undefined;
  queue: string;
  routingKey: string;
  redelivered: boolean;
  /** 1 on the first delivery, growing with each retry through the delay queues. */
  attempt: number;
  /**
   * The version the event arrived at, when the consumer handles a newer one and the event was
   * upcast to it (`envelope.version` is then the handled version); absent otherwise.
   */
  upcastFrom?: number;
}

/** How a handler settled a message: `duplicate` when its inbox had already applied it. */
export type HandlerResult = 'applied' | 'duplicate';

/** A plain async function of one message. Resolving means done: the delivery is acked. */
export type MessageHandler<TData = unknown> = (message: ConsumedMessage<TData>) => Promise<HandlerResult | void>;

/** A policy around a handler: tracing, inbox de-duplication, metrics… */
export type Middleware = (next: MessageHandler) => MessageHandler;
