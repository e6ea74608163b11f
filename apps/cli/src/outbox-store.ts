import type { Sql } from 'postgres';
import type { Envelope } from '@warren/contracts';
import type { EventHeaders, OutgoingMessage } from '@warren/messaging';
import { outboxStatus } from '@warren/outbox';

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

/** Reads the figures of `outbox status` from `outbox_messages` (read-only). */
export async function readOutboxStatus(sql: Sql, service: string): Promise<OutboxStatus> {
  // The backlog figures are the ones the services' metrics use; the failure groups are the tool's own.
  const totals = await outboxStatus(sql);
  const failures = await sql<{ last_error: string | null; rows: string; max_attempts: number; oldest_seq: string }[]>`
    select last_error, count(*) as rows, max(attempts) as max_attempts, min(seq) as oldest_seq
    from outbox_messages
    where published_at is null and attempts > 0
    group by last_error
    order by count(*) desc, min(seq)
    limit 10`;
  return {
    service,
    pending: totals.pending,
    oldestPendingMs: totals.pending > 0 ? totals.oldestPendingSeconds * 1_000 : null,
    publishedLastMinute: totals.publishedLastMinute,
    failing: totals.failing,
    failures: failures.map((row) => ({
      lastError: row.last_error ?? '(no error recorded)',
      rows: Number(row.rows),
      maxAttempts: row.max_attempts,
      oldestSeq: Number(row.oldest_seq),
    })),
  };
}

/** Which archived events `archive replay` re-publishes: published rows of a type in [since, until). */
export interface ArchiveSelection {
  /** An event type (`item.created`) or routing key (`item.created.v1`). */
  type: string;
  since: Date;
  until: Date;
}

/** An archived event, ready to publish as the relay did. */
export interface ArchivedEvent {
  seq: number;
  publishedAt: Date;
  message: OutgoingMessage;
}

interface ArchiveRow {
  seq: string;
  routing_key: string;
  envelope: Envelope;
  headers: EventHeaders;
  published_at: Date;
}

/** How many archived events `selection` covers. */
export async function countArchived(sql: Sql, { type, since, until }: ArchiveSelection): Promise<number> {
  const [row] = await sql<{ count: string }[]>`
    select count(*) from outbox_messages
    where (type = ${type} or routing_key = ${type}) and published_at >= ${since} and published_at < ${until}`;
  return Number(row?.count ?? 0);
}

/** Streams the archived events of `selection` in `seq` order, a batch at a time (pending rows never). */
export async function* archivedEvents(sql: Sql, { type, since, until }: ArchiveSelection, batchSize = 500): AsyncGenerator<ArchivedEvent> {
  const cursor = sql<ArchiveRow[]>`
    select seq, routing_key, envelope, headers, published_at from outbox_messages
    where (type = ${type} or routing_key = ${type}) and published_at >= ${since} and published_at < ${until}
    order by seq`.cursor(batchSize);
  for await (const rows of cursor) {
    for (const row of rows) {
      yield {
        seq: Number(row.seq),
        publishedAt: row.published_at,
        message: { envelope: row.envelope, routingKey: row.routing_key, headers: row.headers },
      };
    }
  }
}
