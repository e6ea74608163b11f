import type { TransactionSql } from 'postgres';
import type { Envelope } from '@warren/contracts';
import type { EventHeaders, OutgoingMessage } from '@warren/messaging';

export interface ClaimedRow {
  seq: number;
  subject: string;
  message: OutgoingMessage;
  createdAt: Date;
}

interface Row {
  seq: string;
  subject: string;
  routing_key: string;
  envelope: Envelope;
  headers: EventHeaders;
  created_at: Date | string;
}

/**
 * Locks up to `limit` due, unpublished rows (skipping rows another relay holds) and keeps only
 * those whose subject has no earlier unpublished row outside the batch: an event never leaves
 * before an earlier event of its subject, even with several relays.
 */
export async function claimBatch(tx: TransactionSql, limit: number): Promise<ClaimedRow[]> {
  const rows = await tx<Row[]>`
    select seq, subject, routing_key, envelope, headers, created_at
    from outbox_messages
    where published_at is null and (next_attempt_at is null or next_attempt_at <= now())
    order by seq
    limit ${limit}
    for update skip locked`;
  if (rows.length === 0) return [];
  const seqs = rows.map((row) => row.seq);
  const subjects = [...new Set(rows.map((row) => row.subject))];
  const blockers = await tx<{ subject: string; first: string }[]>`
    select subject, min(seq) as first
    from outbox_messages
    where published_at is null and subject = any(${subjects}) and not (seq = any(${seqs}::bigint[]))
    group by subject`;
  const firstBlocked = new Map(blockers.map((blocker) => [blocker.subject, BigInt(blocker.first)]));
  return rows
    .filter((row) => {
      const blocker = firstBlocked.get(row.subject);
      return blocker === undefined || BigInt(row.seq) < blocker;
    })
    .map((row) => ({
      seq: Number(row.seq),
      subject: row.subject,
      createdAt: new Date(row.created_at),
      message: { envelope: row.envelope, routingKey: row.routing_key, headers: row.headers, enqueuedAt: new Date(row.created_at) },
    }));
}

/**
 * Splits publish outcomes into rows to mark published and rows to retry. Within a subject, rows
 * after a failed one are not marked either, so they go again after it and order holds.
 */
export function settleBatch(rows: readonly ClaimedRow[], ok: readonly boolean[]): { published: number[]; failed: number[] } {
  const published: number[] = [];
  const failed: number[] = [];
  const brokenSubjects = new Set<string>();
  rows.forEach((row, index) => {
    if (ok[index] === true && !brokenSubjects.has(row.subject)) {
      published.push(row.seq);
    } else {
      brokenSubjects.add(row.subject);
      failed.push(row.seq);
    }
  });
  return { published, failed };
}
