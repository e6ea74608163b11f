import { describe, expect, it } from 'vitest';
import { growthSettings } from './settings.ts';

describe('growth settings', () => {
  it('runs every part on 10 million archived rows by default', () => {
    const settings = growthSettings({});
    expect(settings.parts).toEqual(['archive', 'payload', 'instances', 'prefetch']);
    expect(settings.archivedRows).toBe(10_000_000);
    expect(settings.prefetches).toEqual([1, 10, 50]);
  });

  it('runs the parts named, in run order, and refuses an unknown one or a bad count', () => {
    expect(growthSettings({ BENCH_GROWTH_PARTS: 'prefetch, archive' }).parts).toEqual(['archive', 'prefetch']);
    expect(() => growthSettings({ BENCH_GROWTH_PARTS: 'archive,size' })).toThrow(/unknown part "size"/);
    expect(() => growthSettings({ BENCH_GROWTH_ARCHIVE_ROWS: '1e3x' })).toThrow(/BENCH_GROWTH_ARCHIVE_ROWS/);
  });
});
