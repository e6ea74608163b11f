import { getConnInfo } from '@hono/node-server/conninfo';
import type { MiddlewareHandler } from 'hono';
import type { EdgeEnv } from './context.ts';
import { AppError } from './errors.ts';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** 429: the caller spent its budget; `Retry-After` says when one more request fits. */
export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number) {
    super('rate_limited', 429, 'Too many requests', { detail: 'This caller is over its request budget.', retryAfterSeconds });
  }
}

function clientAddress(c: Parameters<MiddlewareHandler<EdgeEnv>>[0]): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // In-process requests (app.request in tests) have no socket.
    return 'local';
  }
}

/**
 * A token bucket per caller (the token's subject, else the client address): `perMinute`
 * requests a minute, with bursts up to the same number. Over budget → 429 problem with
 * `Retry-After`. The buckets live in this process: with N instances behind a balancer a caller
 * gets up to N times the budget (see the README).
 */
export function rateLimit({ perMinute, now = () => Date.now() }: { perMinute: number; now?: () => number }): MiddlewareHandler<EdgeEnv> {
  const buckets = new Map<string, Bucket>();
  const perMs = perMinute / 60_000;
  let sweptAt = Number.NEGATIVE_INFINITY;
  return async function limitRate(c, next) {
    const caller = c.get('caller');
    const key = caller && caller !== 'anonymous' ? `sub:${caller}` : `ip:${clientAddress(c)}`;
    const at = now();
    const bucket = buckets.get(key) ?? { tokens: perMinute, updatedAt: at };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (at - bucket.updatedAt) * perMs);
    bucket.updatedAt = at;
    if (bucket.tokens < 1) {
      buckets.set(key, bucket);
      throw new RateLimitedError(Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1_000)));
    }
    bucket.tokens -= 1;
    buckets.set(key, bucket);
    // Full buckets carry no information: drop them so idle callers do not pile up. At most one
    // sweep a second, so a crowd of active callers does not make every request walk the map.
    if (buckets.size > 10_000 && at - sweptAt >= 1_000) {
      sweptAt = at;
      for (const [name, entry] of buckets) if (entry.tokens + (at - entry.updatedAt) * perMs >= perMinute) buckets.delete(name);
    }
    c.header('RateLimit-Limit', String(perMinute));
    c.header('RateLimit-Remaining', String(Math.floor(bucket.tokens)));
    await next();
  };
}
