import type { DeliveryMiddleware } from '../pipeline/delivery.ts';
import { assertWithinDeliveryLimit, type RetryPolicy } from '../retry-policy.ts';

/**
 * A message that kills its consumer is redelivered without ever failing in a way retry-or-park
 * sees. Once the queue has handed it out `deliveryLimit` times unsettled, this parks it (through
 * retry-or-park, as `DeliveryLimitError`) before anything that could crash on it again runs.
 * The transport's part of the guard: after each (re)attach it takes one delivery at a time until
 * a fresh one arrives, so such a message is never in flight with others.
 */
export function crashLoopGuard(policy: RetryPolicy): DeliveryMiddleware {
  return (next) => async (delivery) => {
    assertWithinDeliveryLimit(policy, delivery.deliveryCount);
    return next(delivery);
  };
}
