import type { Sql } from 'postgres';
import { outboxFailures, outboxStatus } from '@warren/outbox';

/** One service's outbox at a glance (`outbox status`, also its `--json` shape). */
export interface OutboxStatus {
  service: string;
  pending: number;
  /** Age of the oldest unpublished row, in milliseconds; null when nothing is pending. */
  oldestPendingMs: number | null;
  publishedLastMinute: number;
  /** Unpublished rows the relay has already failed to publish (attempts > 0). */
  failing: number;
  /** Failing rows grouped by their last error, most rows first (at most 10 groups). */
  failures: { lastError: string; rows: number; maxAttempts: number; oldestSeq: number }[];
}

/** Reads the figures of `outbox status` through `@warren/outbox` (read-only). */
export async function readOutboxStatus(sql: Sql, service: string): Promise<OutboxStatus> {
  // The backlog figures are the ones the services' metrics use.
  const totals = await outboxStatus(sql);
  const failures = await outboxFailures(sql, { limit: 10 });
  return {
    service,
    pending: totals.pending,
    oldestPendingMs: totals.pending > 0 ? totals.oldestPendingSeconds * 1_000 : null,
    publishedLastMinute: totals.publishedLastMinute,
    failing: totals.failing,
    failures: failures.map((failure) => ({ ...failure, lastError: failure.lastError ?? '(no error recorded)' })),
  };
}
