/** Percentiles of one set of samples, in the samples' unit (milliseconds here). */
export interface Summary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * The nearest-rank percentile of ascending `sorted` values: the smallest value with at least
 * `p` percent of the samples at or below it. `NaN` for no samples; throws for `p` outside 0–100.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0 and 100, got ${p}`);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** Sorts a copy of `values` and summarizes it; every figure is `NaN` when there are none. */
export function summarize(values: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(values).sort();
  let total = 0;
  for (const value of sorted) total += value;
  const count = sorted.length;
  return {
    count,
    min: count === 0 ? Number.NaN : (sorted[0] as number),
    mean: count === 0 ? Number.NaN : total / count,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: count === 0 ? Number.NaN : (sorted[count - 1] as number),
  };
}

/** `count` events over `ms` milliseconds, per second (`NaN` for an empty window). */
export function perSecond(count: number, ms: number): number {
  return ms > 0 ? (count * 1_000) / ms : Number.NaN;
}

/** Append-only samples in a growable Float64Array, so recording allocates nothing per sample. */
export interface SampleRecorder {
  add(value: number): void;
  readonly length: number;
  /** A view of the samples recorded so far (not a copy). */
  values(): Float64Array;
}

/** Creates a recorder that doubles its buffer when full, starting at `capacity` samples. */
export function createRecorder(capacity = 4_096): SampleRecorder {
  let buffer = new Float64Array(Math.max(1, capacity));
  let length = 0;
  return {
    add(value) {
      if (length === buffer.length) {
        const grown = new Float64Array(buffer.length * 2);
        grown.set(buffer);
        buffer = grown;
      }
      buffer[length++] = value;
    },
    get length() {
      return length;
    },
    values: () => buffer.subarray(0, length),
  };
}
