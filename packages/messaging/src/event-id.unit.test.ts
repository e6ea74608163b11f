import { validate, version } from 'uuid';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { envelopeSchema } from '@warren/contracts';
import { newEventId } from './envelope.ts';

const counterOf = (id: string): number => {
  const hex = id.replaceAll('-', '');
  // 4 bits after the version nibble, 8, 6 after the variant bits, 8, and the top 6 of the next byte.
  const bits = BigInt(`0x${hex}`);
  const high = Number((bits >> 64n) & 0xfffn);
  const low = Number((bits >> 42n) & 0xfffffn);
  return high * 2 ** 20 + low;
};
const millisecondsOf = (id: string): number => parseInt(id.replaceAll('-', '').slice(0, 12), 16);

/** A module of its own, so that a mocked clock starts it from scratch: the ids' state is per process. */
async function freshNewEventId(): Promise<() => string> {
  vi.resetModules();
  return (await import('./envelope.ts')).newEventId;
}

describe('newEventId', () => {
  afterEach(() => vi.restoreAllMocks());

  it('makes valid UUIDv7s carrying the current Unix milliseconds', () => {
    const before = Date.now();
    const ids = Array.from({ length: 1_000 }, () => newEventId());
    const after = Date.now();
    for (const id of ids) {
      expect(validate(id), id).toBe(true);
      expect(version(id)).toBe(7);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(millisecondsOf(id)).toBeGreaterThanOrEqual(before);
      expect(millisecondsOf(id)).toBeLessThanOrEqual(after + 1);
    }
    expect(envelopeSchema.shape.id.safeParse(ids[0]).success).toBe(true);
  });

  it('sorts ids in the order they were made, across refills of its random bytes', () => {
    const ids = Array.from({ length: 20_000 }, () => newEventId());
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!, `${ids[i - 1]} then ${ids[i]}`).toBe(true);
  });

  it('counts up within one millisecond and seeds the counter afresh in the next', async () => {
    const newEventId = await freshNewEventId();
    const now = vi.spyOn(Date, 'now').mockReturnValue(1_764_000_000_000);
    const sameMs = Array.from({ length: 500 }, () => newEventId());
    for (let i = 1; i < sameMs.length; i++) expect(counterOf(sameMs[i]!)).toBe(counterOf(sameMs[i - 1]!) + 1);
    expect(new Set(sameMs.map(millisecondsOf))).toEqual(new Set([1_764_000_000_000]));
    // The random tail still differs from id to id.
    expect(new Set(sameMs.map((id) => id.slice(-10))).size).toBeGreaterThan(490);
    const seeds = Array.from({ length: 8 }, (_, i) => {
      now.mockReturnValue(1_764_000_000_001 + i);
      return counterOf(newEventId());
    });
    expect(new Set(seeds).size).toBe(seeds.length);
    for (const seed of seeds) expect(seed).toBeLessThan(2 ** 31);
  });

  it('stays ahead of a clock that steps back', async () => {
    const newEventId = await freshNewEventId();
    const now = vi.spyOn(Date, 'now').mockReturnValue(1_764_000_100_000);
    const first = newEventId();
    now.mockReturnValue(1_764_000_099_000);
    const second = newEventId();
    expect(second > first).toBe(true);
    expect(millisecondsOf(second)).toBe(1_764_000_100_000);
  });
});
