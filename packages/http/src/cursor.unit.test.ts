import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { ValidationError } from './errors.ts';

describe('keyset cursors', () => {
  it('round-trips the key of the last row', () => {
    expect(decodeCursor(encodeCursor('42'), /^\d+$/)).toBe('42');
  });

  it.each([['garbage', 'not-base64-json'], ['a key of the wrong shape', encodeCursor('drop table')], ['an empty object', Buffer.from('{}').toString('base64url')]])(
    'rejects %s as a validation error',
    (_name, cursor) => {
      expect(() => decodeCursor(cursor, /^\d+$/)).toThrow(ValidationError);
    },
  );
});
