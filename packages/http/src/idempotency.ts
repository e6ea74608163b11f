import type { Context, MiddlewareHandler, TypedResponse } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Database, Transaction } from '@warren/outbox';
import type { Failpoint } from '@warren/telemetry/failpoint';
import type { EdgeEnv } from './context.ts';
import { ConflictError, UnprocessableError } from './errors.ts';
import { fingerprintOf, readKey } from './idempotency-request.ts';
import { claimKey, completeKey, isKeyWaitTimeout, type StoredResponse } from './idempotency-store.ts';

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface ActiveKey {
  caller: string;
  key: string;
  /** The request's transaction, which holds the claim until it commits. */
  tx: Transaction;
  completed: boolean;
  /**
   * The statement storing the response, sent by `respondIdempotently` without waiting, so that it
   * and the COMMIT travel together; resolves with its error, if any (the COMMIT then rolled back).
   */
  stored?: Promise<Error | undefined>;
}

/** The key a request holds, found by `respondIdempotently` without widening every app's env type. */
const activeKeys = new WeakMap<Context, ActiveKey>();
/** The request's crash-test hook, given to `idempotency` (tests only). */
const failpoints = new WeakMap<Context, Failpoint>();

/** Thrown inside the request's transaction to roll it back when the answer is an error. */
class AnsweredWithError extends Error {}

export interface IdempotencyOptions {
  db: Database;
  /**
   * The lease written with a claim. A request holds its key for as long as its transaction is open
   * (a client that dies loses it when PostgreSQL rolls the transaction back); the lease matters only
   * for an `in_flight` row committed by the earlier claim protocol, taken over once it has expired.
   */
  leaseMs?: number;
  /** How long a request waits for another one with the same key to finish before answering 409. */
  inFlightWaitMs?: number;
  /** The scope of keys: the same key from two callers is two requests. */
  callerOf?: (c: Context<EdgeEnv>) => string;
  /** Test-only crash hook; `respondIdempotently` calls it at `http.before-commit`. */
  failpoint?: Failpoint;
}

/** The answer of an idempotent write; `body` is sent as JSON (omit it for an empty body). */
export interface IdempotentResult<TBody = unknown, TStatus extends number = number> {
  status: TStatus;
  body?: TBody;
  headers?: Record<string, string>;
}

function replay(stored: StoredResponse): Response {
  const headers = new Headers(stored.headers);
  headers.set('idempotent-replayed', 'true');
  return new Response(stored.body, { status: stored.status, headers });
}

async function capture(response: Response): Promise<StoredResponse> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  return { status: response.status, headers, body: response.body === null ? null : await response.clone().text() };
}

/**
 * Enforces Idempotency-Key on POST/PUT/PATCH/DELETE (other methods pass through). Missing or
 * malformed key → 400; the key reused with another method, path or body → 422; the stored
 * response of a completed request → replayed exactly, with `Idempotent-Replayed: true`; the key
 * still in flight → 409 with Retry-After, after waiting up to `inFlightWaitMs` for it.
 *
 * The request runs in one transaction that first claims the key (see `claimKey`): the handler
 * answers through `respondIdempotently`, whose writes and stored response commit with the claim,
 * so a write costs one commit. A successful response of a handler that bypasses it is stored in
 * that transaction too, after the handler. When the handler throws or answers 4xx/5xx the
 * transaction rolls back, releasing the key so the client can retry: errors are never stored.
 */
export function idempotency({
  db,
  leaseMs = 30_000,
  inFlightWaitMs = 100,
  callerOf = (c) => c.get('caller'),
  failpoint,
}: IdempotencyOptions): MiddlewareHandler<EdgeEnv> {
  return async function enforceIdempotency(c, next) {
    if (!writeMethods.has(c.req.method)) return next();
    if (failpoint) failpoints.set(c, failpoint);
    const key = readKey(c.req.header('idempotency-key'));
    c.set('idempotencyKey', key);
    const caller = callerOf(c);
    const url = new URL(c.req.url);
    const fingerprint = await fingerprintOf(c, url.pathname + url.search);
    let active: ActiveKey | undefined;
    let replayed: Response | undefined;
    try {
      await db.transaction(async (tx) => {
        const acquired = await claimKey(tx, { caller, key, method: c.req.method, path: url.pathname, fingerprint, leaseMs, inFlightWaitMs });
        switch (acquired.kind) {
          case 'mismatch':
            throw new UnprocessableError('This Idempotency-Key was used with a different request.', { code: 'idempotency_key_reused' });
          case 'replay':
            replayed = replay(acquired.response);
            return;
          case 'in_flight':
            throw inFlight(acquired.retryAfterSeconds);
          case 'claimed':
            break;
        }
        if (acquired.takenOver) c.get('logger')?.warn({ idempotency_key: key }, 'took over an expired idempotency lease');
        active = { caller, key, tx, completed: false };
        activeKeys.set(c, active);
        await next();
        if (active.completed) return;
        if (c.error !== undefined || c.res.status >= 400) throw new AnsweredWithError();
        await completeKey(tx, active, await capture(c.res));
      });
      // A failed store means the COMMIT rolled everything back: the answer must not claim success.
      const failure = await active?.stored;
      if (failure !== undefined) throw failure;
    } catch (error) {
      // The answer (an error) is already in c.res; the rollback released the key.
      if (error instanceof AnsweredWithError) return;
      if (active === undefined && isKeyWaitTimeout(error)) throw inFlight(1);
      throw error;
    }
    return replayed;
  };
}

function inFlight(retryAfterSeconds: number): ConflictError {
  return new ConflictError('A request with this Idempotency-Key is still being processed.', { code: 'idempotency_key_in_flight', retryAfterSeconds });
}

/**
 * Runs `work` in the request's transaction (the one that holds its idempotency key) and stores
 * the response in the key's row there, so the business rows and the stored answer commit (or
 * roll back) together, when the request commits. Without an active key it runs `work` in a
 * transaction of its own. Returns the JSON response to send.
 */
export async function respondIdempotently<TBody, TStatus extends ContentfulStatusCode>(
  c: Context,
  db: Database,
  work: (tx: Transaction) => Promise<IdempotentResult<TBody, TStatus>>,
): Promise<Response & TypedResponse<TBody, TStatus, 'json'>> {
  const active = activeKeys.get(c);
  const answer = async (tx: Transaction): Promise<StoredResponse> => {
    const result = await work(tx);
    failpoints.get(c)?.('http.before-commit');
    const body = result.body === undefined ? null : JSON.stringify(result.body);
    const headers: Record<string, string> = body === null ? {} : { 'content-type': 'application/json' };
    for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = value;
    return { status: result.status, headers, body };
  };
  let stored: StoredResponse;
  if (active === undefined) {
    stored = await db.transaction(answer);
  } else {
    stored = await answer(active.tx);
    // Not awaited here: the middleware sends the COMMIT right behind it and then checks it.
    active.stored = completeKey(active.tx, active, stored).then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error : new Error(`storing the idempotent response failed: ${String(error)}`)),
    );
    active.completed = true;
  }
  // The typed view lets OpenAPI routes check the body against their response schema.
  return new Response(stored.body, { status: stored.status, headers: stored.headers }) as Response & TypedResponse<TBody, TStatus, 'json'>;
}
