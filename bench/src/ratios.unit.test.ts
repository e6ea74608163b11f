import { describe, expect, it } from 'vitest';
import { resultsOf, subjectOf } from './test-results.ts';
import { computeRatios, pairLabel } from './ratios.ts';

const all = resultsOf([
  subjectOf('naive', 400, { 500: [10, 40], 1000: [20, 100] }),
  subjectOf('warren-default', 200, { 500: [50, 160], 1000: [400, 900] }),
  subjectOf('warren-tuned', 300, { 500: [25, 80], 1000: [200, 500] }),
  subjectOf('warren-tracing', 240, { 500: [30, 120], 1000: [300, 600] }),
]);

const find = (figure: string, of: string, to: string) => computeRatios(all).find((entry) => entry.figure === figure && entry.of === of && entry.to === to);

describe('computeRatios', () => {
  it("divides Warren's fully-applied events/s by the naive and raw baselines, with the issue's targets", () => {
    expect(find('events fully applied by both/s', 'warren-default', 'naive')).toMatchObject({ numerator: 200, denominator: 400, value: 0.5, atLeast: 1.5 });
    expect(find('events fully applied by both/s', 'warren-tuned', 'raw')).toMatchObject({ value: 0.03, atLeast: 0.07 });
    expect(find('events fully applied by both/s', 'naive', 'raw')?.atLeast).toBeUndefined();
  });

  it('divides tracing on by tracing off, target 0.75', () => {
    expect(find('events fully applied by both/s', 'warren-tracing', 'warren-tuned')).toMatchObject({ value: 0.8, atLeast: 0.75 });
  });

  it('divides the p50 and p99 event-to-applied latencies at each fixed rate, without a target', () => {
    expect(find('p99 event to applied by both at 500/s', 'warren-default', 'naive')).toMatchObject({ value: 4 });
    expect(find('p50 event to applied by both at 1000/s', 'warren-tracing', 'warren-tuned')).toMatchObject({ value: 1.5 });
    expect(find('p99 event to applied by both at 1000/s', 'warren-tuned', 'naive')?.atLeast).toBeUndefined();
  });

  it('leaves out the pairs of a subject that was not run', () => {
    const some = resultsOf([subjectOf('naive', 400, {}), subjectOf('warren-default', 200, {})], null);
    expect(computeRatios(some).map((entry) => `${entry.of}/${entry.to}`)).toEqual(['warren-default/naive']);
  });

  it('leaves out a ratio whose figures are not finite', () => {
    const broken = resultsOf([subjectOf('naive', 400, { 500: [Number.NaN, 40] }), subjectOf('warren-tuned', 300, { 500: [25, 80] })], null);
    expect(computeRatios(broken).map((entry) => entry.figure)).toEqual(['events fully applied by both/s', 'p99 event to applied by both at 500/s']);
  });
});

describe('pairLabel', () => {
  it("names a pair by the report's column titles", () => {
    expect(pairLabel({ of: 'warren-tracing', to: 'warren-tuned' })).toBe('Warren tuned + tracing / Warren tuned');
  });
});
