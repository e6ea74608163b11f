import type { MiddlewareHandler } from 'hono';
import type { EdgeEnv } from './context.ts';

/** Inbound ids are kept only when they are short and cannot smuggle anything into logs or headers. */
const saneId = /^[A-Za-z0-9._:@/-]{1,128}$/;

export interface RequestIdOptions {
  headerName?: string;
  generate?: () => string;
}

/**
 * Gives every request a correlation id: the inbound `X-Request-Id` when it is sane
 * (1–128 of `A-Za-z0-9._:@/-`), otherwise a generated one (a UUID by default). The id is set
 * as `c.var.requestId` and echoed on the response, error responses included.
 */
export function requestId({ headerName = 'X-Request-Id', generate = () => crypto.randomUUID() }: RequestIdOptions = {}): MiddlewareHandler<EdgeEnv> {
  return async function assignRequestId(c, next) {
    const inbound = c.req.header(headerName);
    const id = inbound !== undefined && saneId.test(inbound) ? inbound : generate();
    c.set('requestId', id);
    try {
      await next();
    } finally {
      // After next() so it lands on whatever response won, including one built by onError. Set on
      // the response's own headers: Hono's c.header() on a finished response copies it into a new
      // one whose body becomes a stream, which @hono/node-server then writes chunk by chunk
      // instead of in one write. Headers that cannot change (a Response.redirect) take that path.
      try {
        c.res.headers.set(headerName, id);
      } catch {
        c.header(headerName, id);
      }
    }
  };
}
