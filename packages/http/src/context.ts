import type { MiddlewareHandler } from 'hono';
import type { Logger } from '@warren/telemetry';

/** The typed Hono environment every edge shares: per-request values travel here, not in globals. */
export interface EdgeEnv {
  Variables: {
    /** The correlation id of this request (see `requestId`). */
    requestId: string;
    /** A child logger bound to this request's id. */
    logger: Logger;
    /** Who is calling; idempotency keys are scoped to it. */
    caller: string;
    /**
     * The request's Idempotency-Key as the key store keeps it (structured-field quotes removed),
     * set by `idempotency` on writes; what an event's `idempotency_key` header must carry.
     */
    idempotencyKey?: string;
  };
}

/**
 * Sets `caller` to `anonymous` (or the given value) so that every request has one before
 * authentication exists; an authentication middleware installed later overwrites it.
 */
export function defaultCaller({ caller = 'anonymous' }: { caller?: string } = {}): MiddlewareHandler<EdgeEnv> {
  return async function setDefaultCaller(c, next) {
    c.set('caller', caller);
    await next();
  };
}
