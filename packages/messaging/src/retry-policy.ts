import { DeliveryLimitError, PermanentError } from './errors.ts';
import { queueNames } from './amqp/topology.ts';

/** What happens to a delivery whose handler failed. */
export type RetryDecision =
  | { action: 'retry'; queue: string; delayMs: number; nextAttempt: number }
  | { action: 'park'; queue: string; attempt: number };

/**
 * How a consumer retries, built once from `RETRY_DELAYS_MS` and `DELIVERY_LIMIT` and handed to both
 * the topology (one delay queue per delay) and the consumer (which delay a failure gets, when a
 * message is parked), so the two cannot disagree.
 */
export interface RetryPolicy {
  /** Delay before each retry; its length is the retry budget. */
  readonly delaysMs: readonly number[];
  /**
   * Unsettled deliveries of one message (its consumer crashed or lost its channel on it) after
   * which the next delivery is parked without running the handler; undefined: the broker's limit alone.
   */
  readonly deliveryLimit: number | undefined;
  /** Whether no retry can fix this failure (it is parked at once). */
  isPermanent(error: unknown): boolean;
  /** Where a delivery on its `attempt` that failed with `error` goes next. */
  decide(queue: string, attempt: number, error: unknown): RetryDecision;
}

export interface RetryPolicyOptions {
  delaysMs?: readonly number[];
  deliveryLimit?: number;
  /** Failures to treat as permanent besides `PermanentError` (a business rule the event breaks). */
  permanent?: (error: unknown) => boolean;
}

export function retryPolicy({ delaysMs = [], deliveryLimit, permanent = () => false }: RetryPolicyOptions = {}): RetryPolicy {
  if (delaysMs.some((delay) => !Number.isInteger(delay) || delay < 0)) throw new Error(`retry delays must be whole milliseconds ≥ 0: ${delaysMs.join(',')}`);
  if (deliveryLimit !== undefined && (!Number.isInteger(deliveryLimit) || deliveryLimit < 1)) throw new Error(`delivery limit must be a whole number ≥ 1: ${deliveryLimit}`);
  const isPermanent = (error: unknown) => error instanceof PermanentError || permanent(error);
  return {
    delaysMs: [...delaysMs],
    deliveryLimit,
    isPermanent,
    decide(queue, attempt, error) {
      const delayMs = isPermanent(error) ? undefined : delaysMs[attempt - 1];
      return delayMs === undefined
        ? { action: 'park', queue: queueNames.deadLetter(queue), attempt }
        : { action: 'retry', queue: queueNames.retry(queue, attempt), delayMs, nextAttempt: attempt + 1 };
    },
  };
}

/** Throws `DeliveryLimitError` when a delivery has been handed out `deliveryLimit` times unsettled. */
export function assertWithinDeliveryLimit(policy: RetryPolicy, deliveries: number): void {
  if (policy.deliveryLimit !== undefined && deliveries >= policy.deliveryLimit) throw new DeliveryLimitError(deliveries, policy.deliveryLimit);
}
