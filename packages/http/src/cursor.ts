import { ValidationError } from './errors.ts';

/** An opaque keyset cursor: base64url of the sort key of the last row of the previous page. */
export function encodeCursor(after: string): string {
  return Buffer.from(JSON.stringify({ after })).toString('base64url');
}

/**
 * Decodes a cursor made by `encodeCursor` whose key matches `pattern`. Anything else (garbage,
 * another API's cursor, a tampered key) is a 400 ValidationError, never a 500.
 */
export function decodeCursor(cursor: string, pattern: RegExp): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string' && pattern.test(parsed.after)) return parsed.after;
  } catch {
    // reported below
  }
  throw new ValidationError('The cursor is not one this API returned.', [{ path: 'cursor', message: 'invalid cursor' }]);
}
