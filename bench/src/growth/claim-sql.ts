// The relay's claim, as `claimBatch` in packages/outbox/src/claim.ts runs it (which the package
// does not export), with positional parameters; claim-sql.unit.test.ts fails when the two drift
// apart.

/**
 * Locks up to $1 due, unpublished rows in seq order, skipping rows another relay holds, and
 * returns those not held back behind an earlier unpublished row of their subject outside the batch.
 */
export const claimSql = `
    with claimed as materialized (
      select seq, subject, routing_key, envelope, headers, created_at
      from outbox_messages
      where published_at is null and (next_attempt_at is null or next_attempt_at <= now())
      order by seq
      limit $1
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
