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
