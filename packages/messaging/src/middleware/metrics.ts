import { trace } from '@opentelemetry/api';
import type { ConsumerObserver } from '../observer.ts';
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
    const traceId = trace.getActiveSpan()?.spanContext().traceId;
    const eventTime = settlement.result === 'applied' && settlement.eventTimestamp !== undefined ? Date.parse(settlement.eventTimestamp) : Number.NaN;
    observer.consumed({
      handler,
      result: settlement.result,
      seconds: (performance.now() - started) / 1_000,
      ...(Number.isNaN(eventTime) ? {} : { endToEndSeconds: (Date.now() - eventTime) / 1_000 }),
      ...(traceId ? { traceId } : {}),
    });
    return settlement;
  };
}
