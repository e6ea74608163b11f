import type { Delivery, DeliveryMiddleware } from '../pipeline/delivery.ts';

/**
 * Test-only hooks on the consumer's path, given to `runConsumer` by a test or by a service started
 * for a crash test; production code passes none and the stage is left out of the pipeline.
 * A hook may throw (a transient failure to retry) or end the process (a crash).
 */
export interface ConsumerFaults {
  /** Before the message is decoded and handled. */
  beforeHandle?(delivery: Delivery): void;
  /** After the handler resolved (its effect committed), before the delivery is acked. */
  afterCommit?(delivery: Delivery): void;
}

export function faultInjection(faults: ConsumerFaults): DeliveryMiddleware {
  return (next) => async (delivery) => {
    faults.beforeHandle?.(delivery);
    const settlement = await next(delivery);
    faults.afterCommit?.(delivery);
    return settlement;
  };
}
