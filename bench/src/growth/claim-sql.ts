// The relay's claim, statement for statement as `claimBatch` in packages/outbox/src/claim.ts runs
// it (which the package does not export), with positional parameters; claim-sql.unit.test.ts fails
// when the two drift apart.

/** Locks up to $1 due, unpublished rows in seq order, skipping rows another relay holds. */
export const claimSql = `
    select seq, subject, routing_key, envelope, headers, created_at
    from outbox_messages
    where published_at is null and (next_attempt_at is null or next_attempt_at <= now())
    order by seq
    limit $1
    for update skip locked`;

/** The first unpublished row outside the batch of each subject in $1 (the batch's seqs are $2). */
export const claimBlockersSql = `
    select subject, min(seq) as first
    from outbox_messages
    where published_at is null and subject = any($1) and not (seq = any($2::bigint[]))
    group by subject`;
