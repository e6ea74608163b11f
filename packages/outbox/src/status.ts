import type { Sql } from 'postgres';

export interface OutboxStatus {
  pending: number;
  /** Age of the oldest unpublished row, 0 when none. */
  oldestPendingSeconds: number;
  publishedLastMinute: number;
  /** Unpublished rows whose publish failed at least once. */
  failing: number;
}

/** The outbox backlog, read in one statement (metrics, readiness, the operator tool). */
export async function outboxStatus(client: Sql): Promise<OutboxStatus> {
  const [row] = await client<{ pending: string; oldest: number | null; recent: string; failing: string }[]>`
    select
      count(*) filter (where published_at is null) as pending,
      extract(epoch from now() - min(created_at) filter (where published_at is null))::float8 as oldest,
      count(*) filter (where published_at > now() - interval '1 minute') as recent,
      count(*) filter (where published_at is null and attempts > 0) as failing
    from outbox_messages
    where published_at is null or published_at > now() - interval '1 minute'`;
  return {
    pending: Number(row?.pending ?? 0),
    oldestPendingSeconds: Math.max(0, row?.oldest ?? 0),
    publishedLastMinute: Number(row?.recent ?? 0),
    failing: Number(row?.failing ?? 0),
  };
}

/** Pending rows that share one last error (`outboxFailures`). */
export interface OutboxFailure {
  /** Null when the relay recorded none. */
  lastError: string | null;
  rows: number;
  maxAttempts: number;
  oldestSeq: number;
}

/**
 * Pending rows the relay has already failed to publish (attempts > 0), grouped by their last
 * error, most rows first, at most `limit` groups (default 10). Read-only; reads only the pending
 * rows (their partial index), however large the archive.
 */
export async function outboxFailures(client: Sql, { limit = 10 }: { limit?: number } = {}): Promise<OutboxFailure[]> {
  const rows = await client<{ last_error: string | null; rows: string; max_attempts: number; oldest_seq: string }[]>`
    select last_error, count(*) as rows, max(attempts) as max_attempts, min(seq) as oldest_seq
    from outbox_messages
    where published_at is null and attempts > 0
    group by last_error
    order by count(*) desc, min(seq)
    limit ${limit}`;
  return rows.map((row) => ({ lastError: row.last_error, rows: Number(row.rows), maxAttempts: row.max_attempts, oldestSeq: Number(row.oldest_seq) }));
}
