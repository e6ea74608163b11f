import { describe, expect, it } from 'vitest';
import { backoffDelay, backoffs } from './backoff.ts';

describe('backoff', () => {
  it('waits the minimum after one failure, grows by the factor, and stops at the maximum', () => {
    const schedule = { minMs: 100, maxMs: 1_000, factor: 3 };
    expect([0, 1, 2, 3, 4].map((failures) => backoffDelay(schedule, failures))).toEqual([0, 100, 300, 900, 1_000]);
  });

  it('keeps every named schedule growing towards a maximum above its minimum', () => {
    for (const schedule of Object.values(backoffs)) {
      expect(schedule.maxMs).toBeGreaterThan(schedule.minMs);
      expect(backoffDelay(schedule, 50)).toBe(schedule.maxMs);
    }
  });
});
