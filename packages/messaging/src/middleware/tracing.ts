import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { processAttributes } from '@warren/telemetry';
import type { Delivery, DeliveryHandler, DeliveryMiddleware, Settlement } from '../pipeline/delivery.ts';

/**
 * Adds Warren's messaging attributes to the delivery's CONSUMER span (the amqplib instrumentation
 * runs the pipeline inside it, as a child of the producer's span from the headers), and records
 * how it ended: the failure as an exception and error status, a skipped duplicate, a retry
 * scheduled or a message parked as events. Everything is recorded before the transport settles:
 * acking ends the instrumentation's span. Without an active span (no tracing) it does nothing.
 */
export function tracing(): DeliveryMiddleware {
  return (next) => (delivery) => {
    const span = trace.getActiveSpan();
    // Tracing off: not even a promise of this stage's own around the rest.
    return span ? traced(span, next, delivery) : next(delivery);
  };
}

async function traced(span: Span, next: DeliveryHandler, delivery: Delivery): Promise<Settlement> {
  const { message, raw } = delivery;
  span.setAttributes({
    ...processAttributes({
      exchange: message.fields.exchange,
      routingKey: message.fields.routingKey,
      queue: delivery.queue,
      messageId: message.properties.messageId,
      correlationId: raw.correlationId,
      redelivered: raw.redelivered,
    }),
    'warren.attempt': raw.attempt,
  });
  const settlement = await next(delivery);
  if (settlement.error !== undefined) {
    const error = settlement.error instanceof Error ? settlement.error : new Error(typeof settlement.error === 'string' ? settlement.error : 'a failure that is not an Error', { cause: settlement.error });
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  }
  if (settlement.result === 'duplicate') span.addEvent('warren.duplicate_skipped');
  if (settlement.result === 'retried' || settlement.result === 'dead_lettered') {
    span.addEvent(settlement.result === 'retried' ? 'warren.retry_scheduled' : 'warren.dead_lettered', {
      'warren.attempt': settlement.attempt ?? raw.attempt,
      ...(settlement.toQueue ? { 'warren.to_queue': settlement.toQueue } : {}),
    });
  }
  return settlement;
}
