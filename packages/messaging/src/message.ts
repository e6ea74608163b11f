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
  headers: EventHeaders;
}

/** A delivery whose body passed the envelope and payload contract. */
export interface ConsumedMessage<TData = unknown> {
  envelope: Envelope<TData>;
  headers: Readonly<Record<string, unknown>>;
  correlationId: string | undefined;
  queue: string;
  routingKey: string;
  redelivered: boolean;
  /** 1 on the first delivery, growing with each retry through the delay queues. */
  attempt: number;
}

/** A plain async function of one message. Resolving means "applied": the delivery is acked. */
export type MessageHandler<TData = unknown> = (message: ConsumedMessage<TData>) => Promise<void>;

/** A policy around a handler: tracing, inbox de-duplication, metrics… */
export type Middleware = (next: MessageHandler) => MessageHandler;
