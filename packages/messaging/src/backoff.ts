/**
 * An exponential backoff: `minMs` after the first failure, times `factor` after each further one,
 * never more than `maxMs`. Every wait on a failing dependency in Warren is one of the schedules
 * below, so they are read and tuned in one place.
 */
export interface Backoff {
  readonly minMs: number;
  readonly maxMs: number;
  readonly factor: number;
}

/** The wait after `failures` consecutive failures (0 for none yet), without jitter. */
export function backoffDelay({ minMs, maxMs, factor }: Backoff, failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(minMs * factor ** (failures - 1), maxMs);
}

export const backoffs = {
  /** A paused consumer probing its database (pause-while-unavailable; p-retry adds jitter). */
  dependencyProbe: { minMs: 250, maxMs: 5_000, factor: 2 },
  /** Reconnecting to the broker after a lost connection (amqplib's recovery adds jitter). */
  brokerReconnect: { minMs: 200, maxMs: 5_000, factor: 2 },
  /** An outbox row the broker did not take, before the relay tries it again (computed in SQL). */
  outboxRow: { minMs: 1_000, maxMs: 60_000, factor: 2 },
} as const satisfies Record<string, Backoff>;
