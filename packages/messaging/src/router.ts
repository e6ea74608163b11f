import type { Logger } from '@warren/telemetry';
import { compose, type ConsumerDefinition } from './consumer.ts';
import { crashLoopGuard } from './middleware/crash-loop-guard.ts';
import { decodeAndHandle } from './middleware/decode.ts';
import { faultInjection, type ConsumerFaults } from './middleware/fault-injection.ts';
import { metrics } from './middleware/metrics.ts';
import { pauseWhileUnavailable, type DependencyGuard } from './middleware/pause-while-unavailable.ts';
import { retryOrPark } from './middleware/retry-or-park.ts';
import { tracing } from './middleware/tracing.ts';
import type { ConsumerObserver } from './observer.ts';
import type { DeliveryControl, DeliveryHandler, DeliveryMiddleware } from './pipeline/delivery.ts';
import { retryPolicy, type RetryPolicy } from './retry-policy.ts';
import type { Subscriber, SubscriberTransport } from './transport.ts';

export interface ConsumerOptions {
  logger: Logger;
  /**
   * Unacked deliveries the transport may hand this consumer at once. After each (re)attach it takes
   * one at a time until a delivery that is not a redelivery arrives (crash-loop containment).
   */
  prefetch?: number;
  /** Retries and the delivery limit; the same object the topology was declared from. Default: no retries. */
  retry?: RetryPolicy;
  /** The consumer's own dependency (its database): while it is down, consumption pauses. */
  dependency?: DependencyGuard;
  /** Told how each delivery was settled (metrics). */
  observer?: ConsumerObserver;
  /** Test-only fault injection (see `ConsumerFaults`). */
  faults?: ConsumerFaults;
}

/**
 * A consumer's policies around its handler, outermost first: metrics (count and time everything),
 * tracing (attributes and outcome on the delivery's span), retry-or-park (a failure becomes a copy
 * in a delay queue or the dead-letter queue), pause-while-unavailable (a down database requeues
 * and pauses instead of spending retries), the crash-loop guard (park what keeps killing the
 * consumer before touching it again), fault injection (tests only), then decode/validate and the
 * handler with its own middleware (the inbox).
 */
export function consumerPipeline(consumer: ConsumerDefinition, options: ConsumerOptions, control: DeliveryControl): DeliveryHandler {
  const { logger, retry = retryPolicy(), dependency, observer, faults } = options;
  const stages: (DeliveryMiddleware | undefined)[] = [
    observer && metrics(consumer.queue, observer),
    tracing(),
    retryOrPark(retry, control, logger),
    dependency && pauseWhileUnavailable(dependency, control, logger),
    crashLoopGuard(retry),
    faults && faultInjection(faults),
  ];
  return compose(
    decodeAndHandle(consumer),
    stages.filter((stage) => stage !== undefined),
  );
}

/** Runs `consumer` on `transport`: its queue's deliveries go through `consumerPipeline`. */
export function runConsumer(transport: SubscriberTransport, consumer: ConsumerDefinition, options: ConsumerOptions): Promise<Subscriber> {
  const logger = options.logger.child({ queue: consumer.queue });
  return transport.subscribe(consumer.queue, (control) => consumerPipeline(consumer, { ...options, logger }, control), {
    prefetch: options.prefetch ?? 32,
    logger,
  });
}
