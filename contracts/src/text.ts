import { z } from './zod.ts';

/** The largest value of a PostgreSQL `integer` column: every integer the contract stores must fit. */
export const maxInt32 = 2_147_483_647;

/**
 * The longest caller subject the contract carries (`metadata.actor`): OpenID Connect's bound on
 * `sub` (255 ASCII characters), so every subject a conforming issuer can mint fits.
 */
export const maxActorLength = 255;

/**
 * True when PostgreSQL can store `value` in a `text` or `jsonb` column and give it back unchanged:
 * well-formed UTF-16 (no lone surrogate, which has no UTF-8 encoding) and no NUL character.
 */
export function isStorableText(value: string): boolean {
  return value.isWellFormed() && !value.includes('\u0000');
}

/**
 * A string PostgreSQL can store faithfully (see `isStorableText`). Refusing it here, at the
 * contract, turns what would be a database error (a 500, or a parked message) into a 400.
 */
export function storableText(): z.ZodString {
  return z.string().refine(isStorableText, 'must be text without NUL characters or unpaired surrogates');
}

/** A caller's subject as the contract carries it: 1–255 storable characters, no control characters. */
export const actorSchema = storableText()
  .min(1)
  .max(maxActorLength)
  // Control characters in an identity are never meant: they only serve to forge log lines.
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');
