import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { EdgeEnv } from './context.ts';
import { AppError } from './errors.ts';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** 429: the caller spent its budget; `Retry-After` says when one more request fits. */
export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number, detail = 'This caller is over its request budget.') {
    super('rate_limited', 429, 'Too many requests', { detail, retryAfterSeconds });
  }
}

/** The address the request came from (the socket's peer); `local` for in-process requests. */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // In-process requests (app.request in tests) have no socket.
    return 'local';
  }
}

/** What taking a token gave: the whole tokens left, or the seconds until one is there. */
export type Take = { taken: true; remaining: number } | { taken: false; retryAfterSeconds: number };

/** Token buckets by key, `perMinute` a minute with bursts up to the same number. */
export interface TokenBuckets {
  /** Takes one token from `key`'s bucket, refilled to now. */
  take(key: string): Take;
}

/**
 * Token buckets held in this process. Full buckets carry no information: past 10,000 keys they
 * are dropped (at most one sweep a second), so idle keys do not pile up.
 */
export function tokenBuckets({ perMinute, now = () => Date.now() }: { perMinute: number; now?: () => number }): TokenBuckets {
  const buckets = new Map<string, Bucket>();
  const perMs = perMinute / 60_000;
  let sweptAt = Number.NEGATIVE_INFINITY;

  return {
    take(key) {
      const at = now();
      const bucket = buckets.get(key) ?? { tokens: perMinute, updatedAt: at };
      bucket.tokens = Math.min(perMinute, bucket.tokens + (at - bucket.updatedAt) * perMs);
      bucket.updatedAt = at;
      buckets.set(key, bucket);
      if (bucket.tokens < 1) return { taken: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1_000)) };
      bucket.tokens -= 1;
      if (buckets.size > 10_000 && at - sweptAt >= 1_000) {
        sweptAt = at;
        for (const [name, entry] of buckets) if (entry.tokens + (at - entry.updatedAt) * perMs >= perMinute) buckets.delete(name);
      }
      return { taken: true, remaining: Math.floor(bucket.tokens) };
    },
  };
}

/**
 * A token bucket per caller (the token's subject, else the client address): `perMinute`
 * requests a minute, with bursts up to the same number. Over budget → 429 problem with
 * `Retry-After`. The buckets live in this process: with N instances behind a balancer a caller
 * gets up to N times the budget (see the README).
 */
export function rateLimit({ perMinute, now = () => Date.now() }: { perMinute: number; now?: () => number }): MiddlewareHandler<EdgeEnv> {
  const buckets = tokenBuckets({ perMinute, now });
  return async function limitRate(c, next) {
    const caller = c.get('caller');
    const key = caller && caller !== 'anonymous' ? `sub:${caller}` : `ip:${clientAddress(c)}`;
    const took = buckets.take(key);
    if (!took.taken) throw new RateLimitedError(took.retryAfterSeconds);
    c.header('RateLimit-Limit', String(perMinute));
    c.header('RateLimit-Remaining', String(took.remaining));
    await next();
  };
}
