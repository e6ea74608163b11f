import type { MiddlewareHandler } from 'hono';
import { headersDeclareBody } from './body-limit.ts';
import { UnsupportedMediaTypeError, ValidationError } from './errors.ts';

const bodyMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const utf8Names = new Set(['utf-8', 'utf8']);

/** The `charset` parameter of a Content-Type, lower-cased and unquoted; undefined when absent. */
export function charsetOf(contentType: string): string | undefined {
  // Parameters follow a ';': the common `application/json` has none to look for.
  if (!contentType.includes(';')) return undefined;
  const match = /;\s*charset\s*=\s*("([^"]*)"|[^;\s]*)/i.exec(contentType);
  if (!match) return undefined;
  return (match[2] ?? match[1] ?? '').trim().toLowerCase();
}

/**
 * Refuses request bodies that could not be stored as they were sent: a Content-Type naming a
 * charset other than UTF-8 is a 415, and bytes that are not valid UTF-8 are a 400. Without it
 * the body would be decoded with replacement characters and stored changed, silently. Reads the
 * body through Hono's cache, so the route's own reads see the same bytes; bodiless requests and
 * GET/HEAD/OPTIONS pass untouched.
 */
export function utf8Body(): MiddlewareHandler {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return async function requireUtf8Body(c, next) {
    if (!bodyMethods.has(c.req.method) || (!headersDeclareBody(c) && c.req.raw.body === null)) return next();
    const charset = charsetOf(c.req.header('content-type') ?? '');
    if (charset !== undefined && !utf8Names.has(charset)) {
      throw new UnsupportedMediaTypeError(`Request bodies are read as UTF-8; charset ${JSON.stringify(charset)} is not accepted.`);
    }
    try {
      // The decoded text is what the route's `c.req.json()`/`text()` would decode again from the
      // same bytes (UTF-8, BOM dropped): cache it so the body is decoded once. Hono keeps promises
      // in its body cache, though its type names the values.
      const text = decoder.decode(await c.req.arrayBuffer());
      c.req.bodyCache.text ??= Promise.resolve(text) as unknown as string;
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      throw new ValidationError('The request body is not valid UTF-8.', [{ path: '', message: 'invalid UTF-8 byte sequence' }], { cause: error });
    }
    await next();
  };
}
