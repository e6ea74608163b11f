import { describe, expect, it } from 'vitest';
import { createRecorder, percentile, perSecond, summarize } from './stats.ts';

/** 1..n in a scrambled order (a fixed permutation: 7919 is prime and coprime with n). */
function scrambled(n: number): number[] {
  return Array.from({ length: n }, (_, index) => ((index * 7919) % n) + 1);
}

describe('percentile', () => {
  it('gives the nearest rank of 1..100: p50 is 50, p95 is 95, p99 is 99', () => {
    const sorted = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 95)).toBe(95);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile(sorted, 0)).toBe(1);
  });

  it('rounds the rank up between samples', () => {
    expect(percentile([10, 20, 30], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 51)).toBe(30);
  });

  it('is NaN without samples and rejects a percentile outside 0-100', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('summarizes a scrambled uniform distribution 1..1000', () => {
    const summary = summarize(scrambled(1_000));
    expect(summary).toEqual({ count: 1_000, min: 1, mean: 500.5, p50: 500, p95: 950, p99: 990, max: 1_000 });
  });

  it('sorts numerically, not as strings, and leaves its input alone', () => {
    const values = [100, 9, 20, 3];
    expect(summarize(values)).toMatchObject({ min: 3, p50: 9, max: 100 });
    expect(values).toEqual([100, 9, 20, 3]);
  });

  it('sees the tail of a skewed distribution: 990 fast samples and 10 slow ones', () => {
    const values = [...Array.from({ length: 990 }, () => 1), ...Array.from({ length: 10 }, () => 500)];
    expect(summarize(values)).toMatchObject({ p50: 1, p95: 1, p99: 1, max: 500 });
    expect(summarize([...values, 500])).toMatchObject({ p99: 500 });
  });

  it('is NaN throughout for no samples', () => {
    const summary = summarize([]);
    expect(summary.count).toBe(0);
    for (const figure of [summary.min, summary.mean, summary.p50, summary.p99, summary.max]) expect(figure).toBeNaN();
  });
});

describe('createRecorder', () => {
  it('keeps every sample in order while it grows past its capacity', () => {
    const recorder = createRecorder(2);
    for (let value = 1; value <= 10; value++) recorder.add(value);
    expect(recorder.length).toBe(10);
    expect(Array.from(recorder.values())).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

describe('perSecond', () => {
  it('turns a count over milliseconds into a rate, NaN for an empty window', () => {
    expect(perSecond(500, 250)).toBe(2_000);
    expect(perSecond(1, 0)).toBeNaN();
  });
});
