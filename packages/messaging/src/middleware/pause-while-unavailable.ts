import pRetry from 'p-retry';
import type { Logger } from '@warren/telemetry';
import { backoffs } from '../backoff.ts';
import type { DeliveryControl, DeliveryMiddleware } from '../pipeline/delivery.ts';

/** The consumer's own dependency (its database). */
export interface DependencyGuard {
  /** Whether a failure means the dependency is down rather than the message being bad. */
  isDown(error: unknown): boolean;
  /** Resolves once the dependency answers again. */
  probe(): Promise<void>;
  /** Bounds of the probe backoff; default `backoffs.dependencyProbe` (250 ms doubling to 5 s). */
  minDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * A failure the dependency reports as `isDown` spends none of the message's retries: the delivery
 * goes back to its queue (`requeued`), consumption pauses, and `probe` is tried with exponential
 * backoff until it answers, then consumption resumes. Inside retry-or-park, so every other failure
 * passes on to it.
 */
export function pauseWhileUnavailable(dependency: DependencyGuard, control: Pick<DeliveryControl, 'pause'>, logger: Logger): DeliveryMiddleware {
  const { minDelayMs = backoffs.dependencyProbe.minMs, maxDelayMs = backoffs.dependencyProbe.maxMs } = dependency;
  const waitForDependency = async (signal: AbortSignal) => {
    // p-retry gives up on a TypeError (or a thrown non-Error); a probe is tried until it answers, whatever it threw.
    const probe = () =>
      dependency.probe().catch((error: unknown) => {
        throw new Error('dependency still unavailable', { cause: error });
      });
    await pRetry(probe, { retries: Number.POSITIVE_INFINITY, minTimeout: minDelayMs, maxTimeout: maxDelayMs, factor: backoffs.dependencyProbe.factor, randomize: true, signal }).catch((error: unknown) => {
      if (!signal.aborted) throw error;
    });
    if (!signal.aborted) logger.info('dependency answers again; consumption resumed');
  };
  return (next) => async (delivery) => {
    try {
      return await next(delivery);
    } catch (error) {
      if (!dependency.isDown(error)) throw error;
      logger.warn({ err: error }, 'dependency unavailable; pausing consumption');
      control.pause(waitForDependency);
      return { result: 'requeued', error };
    }
  };
}
