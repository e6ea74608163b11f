import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { AppError } from './errors.ts';

/** Printable ASCII, at most 255 characters (what the IETF draft's sf-string allows, and a sane bound). */
const saneKey = /^[\x20-\x7E]{1,255}$/;

/**
 * The key from an `Idempotency-Key` header value: a bare token or a structured-field string.
 * Throws a 400 AppError (`idempotency_key_missing` / `idempotency_key_invalid`).
 */
export function readKey(header: string | undefined): string {
  if (header === undefined) {
    throw new AppError('idempotency_key_missing', 400, 'Idempotency-Key required', {
      detail: 'Writes need an Idempotency-Key header so they can be retried safely.',
    });
  }
  // The draft sends the key as a structured-field string ("..."); bare tokens are common too.
  const key = header.length >= 2 && header.startsWith('"') && header.endsWith('"') ? header.slice(1, -1) : header;
  if (!saneKey.test(key)) {
    throw new AppError('idempotency_key_invalid', 400, 'Invalid Idempotency-Key', {
      detail: 'An Idempotency-Key is 1 to 255 printable ASCII characters.',
    });
  }
  return key;
}

/** sha256 hex of method, path with query and the raw body bytes (read through Hono's body cache). */
export async function fingerprintOf(c: Context, pathAndQuery: string): Promise<string> {
  const body = new Uint8Array(await c.req.arrayBuffer());
  return createHash('sha256').update(`${c.req.method}\n${pathAndQuery}\n`).update(body).digest('hex');
}
