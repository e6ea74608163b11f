import type { BenchResults } from './results.ts';
import { subjectLabels, type SubjectName, type SystemSubjectName } from './subject.ts';

/** One subject's figure over another's, with the target when it sets one. */
export interface Ratio {
  figure: string;
  of: SubjectName;
  to: SubjectName;
  numerator: number;
  denominator: number;
  value: number;
  /** Throughput ratios must reach it; undefined for latency ratios (shown, no target). */
  atLeast?: number;
}

type Measured = Pick<BenchResults, 'raw' | 'subjects'>;

/** Events fully applied by both consumers per second; the raw baseline's messages per second. */
export function throughputOf(results: Measured, subject: SubjectName): number | undefined {
  if (subject === 'raw') return results.raw?.perSecond;
  return results.subjects[subject]?.fullSpeed.appliedPerSecond;
}

const throughputPairs: [SystemSubjectName, SubjectName, number | undefined][] = [
  ['warren-default', 'naive', 1.5],
  ['warren-tuned', 'naive', 1.5],
  ['warren-default', 'raw', 0.07],
  ['warren-tuned', 'raw', 0.07],
  ['naive', 'raw', undefined],
  ['warren-tracing', 'warren-tuned', 0.75],
];

const latencyPairs: [SystemSubjectName, SystemSubjectName][] = [
  ['warren-default', 'naive'],
  ['warren-tuned', 'naive'],
  ['warren-tracing', 'warren-tuned'],
];

function ratio(figure: string, of: SubjectName, to: SubjectName, numerator: number | undefined, denominator: number | undefined, atLeast?: number): Ratio[] {
  if (numerator === undefined || denominator === undefined || !Number.isFinite(numerator) || !Number.isFinite(denominator) || denominator === 0) return [];
  const entry: Ratio = { figure, of, to, numerator, denominator, value: numerator / denominator };
  if (atLeast !== undefined) entry.atLeast = atLeast;
  return [entry];
}

/**
 * The ratios of one run, for the subjects it measured: fully-applied events/s of Warren (default
 * and tuned) over the naive and raw baselines and of tracing on over off, then the p50 and p99
 * event-to-applied latencies at each fixed rate over the same pairs (above 1 = slower). A pair
 * with a subject missing, or a figure that is not finite, is left out.
 */
export function computeRatios(results: Measured): Ratio[] {
  const ratios: Ratio[] = [];
  for (const [of, to, atLeast] of throughputPairs) {
    ratios.push(...ratio('events fully applied by both/s', of, to, throughputOf(results, of), throughputOf(results, to), atLeast));
  }
  for (const [of, to] of latencyPairs) {
    const numerator = results.subjects[of];
    const denominator = results.subjects[to];
    if (!numerator || !denominator) continue;
    for (const phase of numerator.fixedRate) {
      const other = denominator.fixedRate.find((candidate) => candidate.load.rate === phase.load.rate);
      if (!other) continue;
      for (const key of ['p50', 'p99'] as const) {
        ratios.push(...ratio(`${key} event to applied by both at ${phase.load.rate}/s`, of, to, phase.endToEnd.bothMs[key], other.endToEnd.bothMs[key]));
      }
    }
  }
  return ratios;
}

/** `Warren default / naive`: how a ratio's pair reads in the report. */
export function pairLabel(entry: Pick<Ratio, 'of' | 'to'>): string {
  return `${subjectLabels[entry.of]} / ${subjectLabels[entry.to]}`;
}
