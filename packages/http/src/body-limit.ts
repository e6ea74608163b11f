import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { PayloadTooLargeError } from './errors.ts';

/**
 * Whether the request's headers say it has a body (a Content-Length or a
 * Transfer-Encoding), so that `c.req.raw.body` need not be touched: on @hono/node-server reading
 * `raw.body` turns the server's lightweight request into a full web `Request` with a stream over
 * the socket, and every later body read goes through that stream. False when the headers do
 * not tell (a `Request` built in-process, say): then only `raw.body` can tell.
 */
export function headersDeclareBody(c: Context): boolean {
  return c.req.header('content-length') !== undefined || c.req.header('transfer-encoding') !== undefined;
}

/**
 * Rejects request bodies over `maxBytes` (1 MiB by default) with a 413 problem, checking
 * Content-Length up front and counting bytes for streamed bodies.
 */
export function bodyLimit({ maxBytes = 1_048_576 }: { maxBytes?: number } = {}): MiddlewareHandler {
  const tooLarge = (): never => {
    throw new PayloadTooLargeError(`The request body is larger than ${maxBytes} bytes.`);
  };
  const counting = honoBodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async function limitBody(c, next) {
    // GET and HEAD never carry a body to a handler (a web Request cannot have one).
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    // The common case, decided from the header alone as Hono's own limit does; streamed
    // (chunked) bodies and requests whose headers do not tell are counted by Hono's limit.
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (parseInt(length, 10) > maxBytes) tooLarge();
      return next();
    }
    return counting(c, next);
  };
}
