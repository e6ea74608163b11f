import { describe, expect, it } from 'vitest';
import { summarizeEndToEnd } from './end-to-end.ts';

describe('summarizeEndToEnd', () => {
  it('takes, per event, the later of the two consumers as applied by both', () => {
    const latency = summarizeEndToEnd(
      [
        { id: 'a', at: 1_000 },
        { id: 'b', at: 2_000 },
      ],
      [
        { id: 'a', at: 1_010 },
        { id: 'b', at: 2_050 },
      ],
      [
        { id: 'a', at: 1_030, eventAt: 1_000 },
        { id: 'b', at: 2_020, eventAt: 2_000 },
      ],
    );
    expect(latency.bothMs.p50).toBe(30);
    expect(latency.bothMs.max).toBe(50);
    expect(latency.inventoryMs.max).toBe(50);
    expect(latency.firstEventEpochMs).toBe(1_000);
    expect(latency.lastAppliedEpochMs).toBe(2_050);
  });

  it('counts the events a consumer has no row for, and leaves them out of both', () => {
    const latency = summarizeEndToEnd([{ id: 'a', at: 0 }, { id: 'b', at: 0 }], [{ id: 'a', at: 5 }], [{ id: 'b', at: 7, eventAt: 0 }]);
    expect(latency.missing).toEqual({ inventory: 1, audit: 1 });
    expect(latency.bothMs.count).toBe(0);
  });
});
