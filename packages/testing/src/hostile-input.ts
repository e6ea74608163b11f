import fc from 'fast-check';

/**
 * fast-check's run options for a property test: `numRuns` runs, replayable with `FC_SEED=<seed>`
 * (fast-check prints the seed and path of any counterexample).
 */
export function fastCheckRuns(numRuns: number): { numRuns: number; seed?: number } {
  const seed = process.env['FC_SEED'];
  return { numRuns, ...(seed === undefined ? {} : { seed: Number(seed) }) };
}

/** Any text, from every Unicode plane, lone surrogates and NUL included, up to `max` code units, and the bounds either side of `max`. */
export const hostileText = (max: number): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: max }),
    fc.string({ unit: 'grapheme', maxLength: max }),
    fc.constantFrom('', ' ', '\u0000', 'a\ud800', '\udc00b', '𝔸'.repeat(Math.floor(max / 2)), 'x'.repeat(max), 'x'.repeat(max + 1)),
  );

/** Mostly plausible text (1 to `max` characters), sometimes hostile: many writes succeed, so their storage is checked too. */
export const plausibleText = (max: number): fc.Arbitrary<string> =>
  fc.oneof({ arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: max }), weight: 3 }, { arbitrary: hostileText(max + 1), weight: 1 });

/** A URL component as a client can send it: encoded text, or arbitrary bytes (invalid UTF-8 included) percent-encoded. */
export const urlComponent = (max: number): fc.Arbitrary<string> =>
  fc.oneof(
    hostileText(max).map((value) => encodeURIComponent(value.toWellFormed())),
    fc.uint8Array({ maxLength: max }).map((bytes) => [...bytes].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')),
  );
