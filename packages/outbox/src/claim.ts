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
 * before an earlier event of its subject, even with several relays. One statement, so one round
 * trip: per subject of the batch, its first unpublished row outside the batch is found by walking
 * `outbox_messages_pending_subject_idx` from the subject's oldest row (`blockers` is materialized
 * so that this runs once per subject, not once per row), and the batch's rows from that one on
 * are left for a later batch (they stay locked until this transaction ends).
 */
export async function claimBatch(tx: TransactionSql, limit: number): Promise<ClaimedRow[]> {
  const rows = await tx<Row[]>`
    with claimed as materialized (
      select seq, subject, routing_key, envelope, headers, created_at
      from outbox_messages
      where published_at is null and (next_attempt_at is null or next_attempt_at <= now())
      order by seq
      limit ${limit}
      for update skip locked
    ), blockers as materialized (
      select subject, (
        select pending.seq from outbox_messages pending
        where pending.published_at is null and pending.subject = batch.subject and pending.seq not in (select seq from claimed)
        order by pending.seq
        limit 1
      ) as first
      from (select distinct subject from claimed) batch
    )
    select claimed.seq, claimed.subject, claimed.routing_key, claimed.envelope, claimed.headers, claimed.created_at
    from claimed join blockers using (subject)
    where blockers.first is null or claimed.seq < blockers.first
    order by claimed.seq`;
  return rows.map((row) => ({
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
