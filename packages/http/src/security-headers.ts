import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

export interface SecurityHeadersOptions {
  /** `Cross-Origin-Resource-Policy: cross-origin` (the API is called from other origins) instead of `same-origin`. */
  crossOrigin?: boolean;
}

/**
 * Hono's secure headers with the edge's Content-Security-Policy (own origin only; inline styles
 * and data: images for the docs pages; never framed). A header the route set itself is kept.
 */
export function securityHeaders({ crossOrigin = false }: SecurityHeadersOptions = {}): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'], frameAncestors: ["'none'"] },
    crossOriginResourcePolicy: crossOrigin ? 'cross-origin' : 'same-origin',
    // A route that sets a header itself keeps it: only the AsyncAPI viewer sets its own policy.
    overwrite: false,
  });
}
