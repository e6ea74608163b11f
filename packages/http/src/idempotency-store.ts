import { randomUUID } from 'node:crypto';
import { and, eq, lt, or, sql } from 'drizzle-orm';
import type { Database } from '@warren/outbox';
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
}

/** What happened when a request tried to take its key. */
export type Acquisition =
  | { kind: 'claimed'; leaseToken: string; takenOver: boolean }
  | { kind: 'mismatch' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'in_flight'; retryAfterSeconds: number };

const leaseEnd = (leaseMs: number) => sql`now() + ${Math.max(1, Math.round(leaseMs))}::int * interval '1 millisecond'`;
const thisKey = (caller: string, key: string) => and(eq(idempotencyKeys.caller, caller), eq(idempotencyKeys.key, key));

/**
 * Claims the key, or says why not. Each statement commits on its own (autocommit) so that
 * concurrent requests see the claim at once. An expired in-flight lease (its owner died) is
 * taken over with a compare-and-set on the old lease token, so exactly one request wins it.
 */
export async function acquireKey(db: Database, request: KeyRequest): Promise<Acquisition> {
  const { caller, key, method, path, fingerprint, leaseMs } = request;
  // A key released between our insert and our read is simply claimable again: retry a little.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const leaseToken = randomUUID();
    const inserted = await db
      .insert(idempotencyKeys)
      .values({ caller, key, method, path, fingerprint, state: 'in_flight', leaseToken, lockedUntil: leaseEnd(leaseMs) })
      .onConflictDoNothing()
      .returning({ leaseToken: idempotencyKeys.leaseToken });
    if (inserted.length > 0) return { kind: 'claimed', leaseToken, takenOver: false };

    const [row] = await db
      .select({
        fingerprint: idempotencyKeys.fingerprint,
        state: idempotencyKeys.state,
        leaseToken: idempotencyKeys.leaseToken,
        status: idempotencyKeys.responseStatus,
        headers: idempotencyKeys.responseHeaders,
        body: idempotencyKeys.responseBody,
        leaseLive: sql<boolean>`${idempotencyKeys.lockedUntil} > now()`,
        secondsLeft: sql<number>`greatest(1, ceil(extract(epoch from ${idempotencyKeys.lockedUntil} - now())))::int`,
      })
      .from(idempotencyKeys)
      .where(thisKey(caller, key));
    if (row === undefined) continue;
    if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (row.state === 'completed' && row.status !== null) {
      return { kind: 'replay', response: { status: row.status, headers: row.headers ?? {}, body: row.body } };
    }
    if (row.leaseLive) return { kind: 'in_flight', retryAfterSeconds: row.secondsLeft };

    const taken = await db
      .update(idempotencyKeys)
      .set({ leaseToken, lockedUntil: leaseEnd(leaseMs) })
      .where(
        and(
          thisKey(caller, key),
          eq(idempotencyKeys.leaseToken, row.leaseToken),
          eq(idempotencyKeys.state, 'in_flight'),
          lt(idempotencyKeys.lockedUntil, sql`now()`),
        ),
      )
      .returning({ leaseToken: idempotencyKeys.leaseToken });
    return taken.length > 0 ? { kind: 'claimed', leaseToken, takenOver: true } : { kind: 'in_flight', retryAfterSeconds: 1 };
  }
  return { kind: 'in_flight', retryAfterSeconds: 1 };
}

/**
 * Marks the key completed with its response, only while `leaseToken` still owns it.
 * Returns false when the lease was lost (taken over), so the caller can roll back.
 */
export async function completeKey(
  db: Database,
  owner: { caller: string; key: string; leaseToken: string },
  response: StoredResponse,
): Promise<boolean> {
  const updated = await db
    .update(idempotencyKeys)
    .set({
      state: 'completed',
      responseStatus: response.status,
      responseHeaders: response.headers,
      responseBody: response.body,
      completedAt: sql`now()`,
    })
    .where(
      and(thisKey(owner.caller, owner.key), eq(idempotencyKeys.leaseToken, owner.leaseToken), eq(idempotencyKeys.state, 'in_flight')),
    )
    .returning({ key: idempotencyKeys.key });
  return updated.length > 0;
}

/** Deletes an in-flight key still owned by `leaseToken` so the client may retry; a no-op otherwise. */
export async function releaseKey(
  db: Database,
  owner: { caller: string; key: string; leaseToken: string },
): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(and(thisKey(owner.caller, owner.key), eq(idempotencyKeys.leaseToken, owner.leaseToken), eq(idempotencyKeys.state, 'in_flight')));
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
