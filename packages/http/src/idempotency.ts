import type { Context, MiddlewareHandler, TypedResponse } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Database, Transaction } from '@warren/outbox';
import type { Failpoint } from '@warren/telemetry/failpoint';
import type { EdgeEnv } from './context.ts';
import { ConflictError, UnprocessableError } from './errors.ts';
import { fingerprintOf, readKey } from './idempotency-request.ts';
import { acquireKey, completeKey, releaseKey, type StoredResponse } from './idempotency-store.ts';

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface ActiveKey {
  caller: string;
  key: string;
  leaseToken: string;
  completed: boolean;
}

/** The key a request holds, found by `respondIdempotently` without widening every app's env type. */
const activeKeys = new WeakMap<Context, ActiveKey>();
/** The request's crash-test hook, given to `idempotency` (tests only). */
const failpoints = new WeakMap<Context, Failpoint>();

export interface IdempotencyOptions {
  db: Database;
  /** How long a claim is held before another request may take it over (the owner is presumed dead). */
  leaseMs?: number;
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
 * still in flight → 409 with Retry-After; an expired lease → taken over. The handler should
 * answer through `respondIdempotently` so its response commits with its writes; a successful
 * response that bypasses it is stored afterwards (not atomically). When the handler throws or
 * answers 4xx/5xx the key is released so the client can retry: errors are never stored.
 */
export function idempotency({
  db,
  leaseMs = 30_000,
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
    const acquired = await acquireKey(db, { caller, key, method: c.req.method, path: url.pathname, fingerprint, leaseMs });
    switch (acquired.kind) {
      case 'mismatch':
        throw new UnprocessableError('This Idempotency-Key was used with a different request.', { code: 'idempotency_key_reused' });
      case 'replay':
        return replay(acquired.response);
      case 'in_flight':
        throw new ConflictError('A request with this Idempotency-Key is still being processed.', {
          code: 'idempotency_key_in_flight',
          retryAfterSeconds: acquired.retryAfterSeconds,
        });
      case 'claimed':
        break;
    }
    if (acquired.takenOver) c.get('logger')?.warn({ idempotency_key: key }, 'took over an expired idempotency lease');

    const active: ActiveKey = { caller, key, leaseToken: acquired.leaseToken, completed: false };
    activeKeys.set(c, active);
    const release = async () => {
      try {
        await releaseKey(db, active);
      } catch (error) {
        // The lease expires anyway; do not hide the handler's own outcome behind this one.
        c.get('logger')?.warn({ err: error, idempotency_key: key }, 'could not release idempotency key');
      }
    };
    try {
      await next();
    } catch (error) {
      await release();
      throw error;
    }
    if (active.completed) return;
    if (c.error !== undefined || c.res.status >= 400) return release();
    const stored = await completeKey(db, active, await capture(c.res));
    if (!stored) c.get('logger')?.warn({ idempotency_key: key }, 'lost the idempotency lease before storing the response');
  };
}

/**
 * Runs `work` in one transaction and, when the request holds an idempotency key, stores the
 * response in the key's row inside that same transaction, so the business rows and the stored
 * answer commit (or roll back) together. Throws ConflictError, rolling everything back, when the
 * lease was taken over meanwhile. Without an active key it just runs the transaction. Returns
 * the JSON response to send.
 */
export async function respondIdempotently<TBody, TStatus extends ContentfulStatusCode>(
  c: Context,
  db: Database,
  work: (tx: Transaction) => Promise<IdempotentResult<TBody, TStatus>>,
): Promise<Response & TypedResponse<TBody, TStatus, 'json'>> {
  const active = activeKeys.get(c);
  const stored = await db.transaction(async (tx) => {
    const result = await work(tx);
    failpoints.get(c)?.('http.before-commit');
    const body = result.body === undefined ? null : JSON.stringify(result.body);
    const headers: Record<string, string> = body === null ? {} : { 'content-type': 'application/json' };
    for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = value;
    const response: StoredResponse = { status: result.status, headers, body };
    if (active !== undefined && !(await completeKey(tx, active, response))) {
      throw new ConflictError('The Idempotency-Key was taken over by another request.', { code: 'idempotency_key_in_flight', retryAfterSeconds: 1 });
    }
    return response;
  });
  if (active !== undefined) active.completed = true;
  // The typed view lets OpenAPI routes check the body against their response schema.
  return new Response(stored.body, { status: stored.status, headers: stored.headers }) as Response & TypedResponse<TBody, TStatus, 'json'>;
}
