import { randomUUID } from 'node:crypto';
import { and, eq, lt, or, sql } from 'drizzle-orm';
import type { Database, Transaction } from '@warren/outbox';
import { idempotencyKeys } from './schema.ts';

/** A stored answer, replayed byte for byte. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

export interface KeyRequest {
  caller: string;
  key: string;
  method: string;
  path: string;
  fingerprint: string;
  leaseMs: number;
  /** How long a request waits for another one holding the same key before answering 409. */
  inFlightWaitMs: number;
}

/** What happened when a request tried to take its key. */
export type Acquisition =
  | { kind: 'claimed'; takenOver: boolean }
  | { kind: 'mismatch' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'in_flight'; retryAfterSeconds: number };

/** PostgreSQL's lock_not_available: the claim waited `inFlightWaitMs` behind another owner of the key. */
export function isKeyWaitTimeout(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if ((current as { code?: unknown }).code === '55P03') return true;
  }
  return false;
}

/**
 * First key of the transaction-scoped advisory lock a claim takes on its (caller, key) (the second
 * is their hash): a namespace of its own, apart from the outbox's subject locks.
 */
export const keyLockSpace = 0x57_52_4b; // "WRK"

/**
 * Claims the key inside `tx`, the request's own transaction, or says why not. The claim is an
 * insert that stays uncommitted until the request's writes commit with it: a concurrent request
 * with the same key waits on it for at most `inFlightWaitMs` (PostgreSQL's lock_timeout, then
 * `isKeyWaitTimeout`: the key is in flight) and, once the owner has committed, finds the stored
 * response; if the owner rolled back (or died: PostgreSQL rolls back the transaction of a lost
 * client), the waiter claims the key. A committed `in_flight` row (left by the earlier protocol,
 * which claimed in a transaction of its own, during an upgrade) is taken over once its lease,
 * `leaseMs` from its claim, has expired.
 *
 * The common case costs one statement: it takes the key's advisory lock without waiting, which
 * every claim of the key holds until its transaction ends, and inserts only if it got it, so the
 * insert can meet no uncommitted claim and needs no lock timeout. Only when the lock is taken (the
 * key is in flight, or its hash collides with one that is) does the claim wait, as described. An
 * instance of the version before this lock, during a rolling upgrade, claims without it: a request
 * meeting such a claim in flight waits for its transaction to end rather than `inFlightWaitMs`.
 */
export async function claimKey(tx: Transaction, request: KeyRequest): Promise<Acquisition> {
  const { caller, key, method, path, fingerprint, leaseMs } = request;
  const lease = Math.max(1, Math.round(leaseMs));
  const [attempt] = await tx.execute<{ held: boolean; claimed: boolean }>(sql`
    with lock as materialized (select pg_try_advisory_xact_lock(${keyLockSpace}::int, hashtext(${caller} || ' ' || ${key})) as held),
    inserted as (
      insert into idempotency_keys (caller, key, method, path, fingerprint, state, lease_token, locked_until)
      select ${caller}, ${key}, ${method}, ${path}, ${fingerprint}, 'in_flight', ${randomUUID()}::uuid, now() + ${lease}::int * interval '1 millisecond'
      from lock where held
      on conflict do nothing
      returning true as claimed)
    select (select held from lock) as held, exists (select from inserted) as claimed`);
  if (attempt?.claimed === true) return { kind: 'claimed', takenOver: false };
  const inserted = attempt?.held === true ? [] : await claimWaiting(tx, request, lease);
  if (inserted.length > 0) return { kind: 'claimed', takenOver: false };

  const [row] = await tx.execute<{
    fingerprint: string;
    state: string;
    lease_token: string;
    status: number | null;
    headers: Record<string, string> | null;
    body: string | null;
    lease_live: boolean;
    seconds_left: number;
  }>(sql`
    select fingerprint, state, lease_token, response_status as status, response_headers as headers, response_body as body,
           locked_until > now() as lease_live, greatest(1, ceil(extract(epoch from locked_until - now())))::int as seconds_left
    from idempotency_keys where caller = ${caller} and key = ${key}`);
  // Deleted since (pruned): a retry of the request claims it afresh.
  if (row === undefined) return { kind: 'in_flight', retryAfterSeconds: 1 };
  if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
  if (row.state === 'completed' && row.status !== null) {
    return { kind: 'replay', response: { status: row.status, headers: row.headers ?? {}, body: row.body } };
  }
  if (row.lease_live) return { kind: 'in_flight', retryAfterSeconds: row.seconds_left };
  // A compare-and-set on the old token: of two requests taking over the same lease, one wins.
  const taken = await tx.execute(sql`
    update idempotency_keys set lease_token = ${randomUUID()}::uuid, locked_until = now() + ${lease}::int * interval '1 millisecond'
    where caller = ${caller} and key = ${key} and lease_token = ${row.lease_token}::uuid and state = 'in_flight' and locked_until < now()
    returning true as taken`);
  return taken.length > 0 ? { kind: 'claimed', takenOver: true } : { kind: 'in_flight', retryAfterSeconds: 1 };
}

/**
 * The claim when another transaction holds the key's lock: the insert waits for that owner's
 * uncommitted claim for at most `inFlightWaitMs`, then the wait goes back to the default (in the
 * same round trip) before the handler's own statements, which may legitimately wait (a subject's
 * lock, a unique index). It takes the lock too, so that later claims see it held.
 */
async function claimWaiting(tx: Transaction, request: KeyRequest, lease: number): Promise<readonly unknown[]> {
  const { caller, key, method, path, fingerprint, inFlightWaitMs } = request;
  const [inserted] = await Promise.all([
    tx.execute<{ claimed: boolean }>(sql`
      with settings as materialized (select set_config('lock_timeout', ${`${Math.max(1, Math.round(inFlightWaitMs))}ms`}, true)),
      lock as materialized (select pg_advisory_xact_lock(${keyLockSpace}::int, hashtext(${caller} || ' ' || ${key})) from settings)
      insert into idempotency_keys (caller, key, method, path, fingerprint, state, lease_token, locked_until)
      select ${caller}, ${key}, ${method}, ${path}, ${fingerprint}, 'in_flight', ${randomUUID()}::uuid, now() + ${lease}::int * interval '1 millisecond'
      from lock
      on conflict do nothing
      returning true as claimed`),
    tx.execute(sql`set local lock_timeout to default`),
  ]);
  return inserted;
}

/** Marks the key `tx` claimed completed with its response; commits (or rolls back) with `tx`. */
export async function completeKey(tx: Transaction, owner: { caller: string; key: string }, response: StoredResponse): Promise<void> {
  await tx.execute(sql`
    update idempotency_keys
    set state = 'completed', response_status = ${response.status}::int, response_headers = ${JSON.stringify(response.headers)}::jsonb,
        response_body = ${response.body}, completed_at = now()
    where caller = ${owner.caller} and key = ${owner.key}`);
}

/**
 * Deletes keys created more than `olderThanMs` ago (24 h by default, the promised minimum
 * retention): completed ones, and in-flight ones whose lease has long expired (abandoned by a
 * dead process and never retried). Returns how many rows were deleted.
 */
export async function pruneIdempotencyKeys(
  db: Database,
  { olderThanMs = 24 * 60 * 60 * 1000 }: { olderThanMs?: number } = {},
): Promise<number> {
  const result = await db
    .delete(idempotencyKeys)
    .where(
      and(
        lt(idempotencyKeys.createdAt, sql`now() - ${Math.round(olderThanMs)}::bigint * interval '1 millisecond'`),
        or(eq(idempotencyKeys.state, 'completed'), lt(idempotencyKeys.lockedUntil, sql`now()`)),
      ),
    );
  return result.count;
}
