import { ROOT_CONTEXT, context, propagation, trace } from '@opentelemetry/api';
import type { Logger } from '@warren/telemetry';
import { eventProperties } from '../event-properties.ts';
import type { OutgoingMessage } from '../message.ts';
import type { PublishOutcome, Publisher } from '../publisher.ts';
import type { BrokerConnection } from './connection.ts';
import { createConfirmSender } from './confirm-sender.ts';

const tracer = trace.getTracer('@warren/messaging');

/**
 * Runs `publish` inside the context the event was written in (restored from its stored
 * `traceparent`), so the amqplib instrumentation's PRODUCER span joins the writer's trace; the
 * time the event waited in the outbox shows as a span of its own.
 */
function inWriterContext<T>(message: OutgoingMessage, publish: () => Promise<T>): Promise<T> {
  const parent = propagation.extract(ROOT_CONTEXT, message.headers);
  return context.with(parent, () => {
    if (message.enqueuedAt && trace.getSpan(parent)) {
      const waitedMs = Date.now() - message.enqueuedAt.getTime();
      tracer
        .startSpan('outbox wait', { startTime: message.enqueuedAt, attributes: { 'warren.outbox.wait_ms': waitedMs, 'messaging.message.id': message.envelope.id } })
        .end();
    }
    return publish();
  });
}

export interface AmqpPublisherOptions {
  exchange: string;
  logger: Logger;
}

/**
 * Publishes events to the topic exchange on a confirm channel with `mandatory`, all messages
 * of a call pipelined; each outcome is `ok` only after the broker's ack without a return.
 */
export function createAmqpPublisher(connection: BrokerConnection, { exchange, logger }: AmqpPublisherOptions): Publisher {
  const sender = createConfirmSender(connection, logger);
  return {
    async publish(messages) {
      const settled = await Promise.allSettled(
        messages.map((message) =>
          inWriterContext(message, () =>
            sender.send(exchange, message.routingKey, Buffer.from(JSON.stringify(message.envelope)), eventProperties(message)),
          ),
        ),
      );
      return settled.map((result): PublishOutcome =>
        result.status === 'fulfilled'
          ? { ok: true }
          : { ok: false, error: result.reason instanceof Error ? result.reason : new Error(String(result.reason)) },
      );
    },
    close: () => sender.close(),
  };
}
