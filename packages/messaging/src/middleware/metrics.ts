import { trace } from '@opentelemetry/api';
import type { ConsumerObservation, ConsumerObserver } from '../observer.ts';
import type { DeliveryMiddleware } from '../pipeline/delivery.ts';

/**
 * Tells the observer (Prometheus metrics) how each delivery was settled and how long it took,
 * with the end-to-end latency of applied events and the trace id for exemplars. Outermost, so it
 * times and counts everything, `requeued` included.
 */
export function metrics(handler: string, observer: ConsumerObserver): DeliveryMiddleware {
  observer.attached?.(handler);
  return (next) => async (delivery) => {
    const started = performance.now();
    const settlement = await next(delivery);
    // Built field by field, not spread: this runs for every delivery.
    const observation: ConsumerObservation = { handler, result: settlement.result, seconds: (performance.now() - started) / 1_000 };
    if (settlement.result === 'applied' && settlement.eventTimestamp !== undefined) {
      const eventTime = Date.parse(settlement.eventTimestamp);
      if (!Number.isNaN(eventTime)) observation.endToEndSeconds = (Date.now() - eventTime) / 1_000;
    }
    const traceId = trace.getActiveSpan()?.spanContext().traceId;
    if (traceId) observation.traceId = traceId;
    observer.consumed(observation);
    return settlement;
  };
}
