// Hand-made results for the report and ratio tests (no I/O): only the figures they read matter.
import type { EndToEndLatency } from './end-to-end.ts';
import type { BenchResults, FixedRateResult, FullSpeedResult } from './results.ts';
import type { Summary } from './stats.ts';
import type { SubjectResult, SystemSubjectName } from './subject.ts';

/** A summary whose percentiles are p50 and p99 (p95 between them). */
export function summaryOf(p50: number, p99: number): Summary {
  return { count: 100, min: p50 / 2, mean: p50, p50, p95: (p50 + p99) / 2, p99, max: p99 * 1.1 };
}

function endToEnd(p50: number, p99: number): EndToEndLatency {
  return {
    events: 100,
    missing: { inventory: 0, audit: 0 },
    inventoryMs: summaryOf(p50, p99),
    auditMs: summaryOf(p50, p99),
    bothMs: summaryOf(p50, p99),
    firstEventEpochMs: 0,
    lastAppliedEpochMs: 1_000,
  };
}

const tally = { accepted: 100, errors: {}, errorSamples: {} };

/** A subject that applied `appliedPerSecond` at full speed and had p50/p99 `latencies[rate]` at each fixed rate. */
export function subjectOf(name: SystemSubjectName, appliedPerSecond: number, latencies: Record<number, [number, number]>): SubjectResult {
  const fullSpeed: FullSpeedResult = {
    load: { ...tally, concurrency: 64, sent: 100, failed: 0, elapsedMs: 1_000, acceptedPerSecond: appliedPerSecond, latencyMs: summaryOf(10, 50), firstSendEpochMs: 0, lastAnswerEpochMs: 1_000 },
    endToEnd: endToEnd(20, 80),
    appliedWindowMs: 1_000,
    appliedPerSecond,
    drainAfterLastAnswerMs: 0,
  };
  const fixedRate: FixedRateResult[] = Object.entries(latencies).map(([rate, [p50, p99]]) => ({
    load: {
      ...tally,
      rate: Number(rate),
      scheduled: 100,
      sent: 100,
      unsent: 0,
      failed: 0,
      late: 0,
      maxLagMs: 1,
      acceptedPerSecond: Number(rate),
      latencyMs: summaryOf(5, 20),
      latencyFromScheduleMs: summaryOf(5, 25),
      firstSendEpochMs: 0,
    },
    endToEnd: endToEnd(p50, p99),
  }));
  return { name, settings: { DATABASE_POOL_SIZE: '10' }, startSeconds: 3, fullSpeed, fixedRate, serviceWarnings: {} };
}

/** A run of `subjects` after the raw baseline (none when `rawPerSecond` is null), ratios not yet computed. */
export function resultsOf(subjects: SubjectResult[], rawPerSecond: number | null = 10_000): BenchResults {
  const results: BenchResults = {
    startedAt: '2026-01-01T00:00:00.000Z',
    totalSeconds: 60,
    machine: { cores: 2, cpu: 'test', memoryGiB: 1, os: 'test', node: 'v24', postgres: '15', rabbitmq: '3.10', erlang: '25', loadAverage: [1, 1, 1] },
    settings: { subjects: ['raw', ...subjects.map((subject) => subject.name)], seconds: 10, concurrency: 64, rates: [500, 1000], openMaxInFlight: 256, lateThresholdMs: 20, giveUpAfterMs: 10_000 },
    subjects: Object.fromEntries(subjects.map((subject) => [subject.name, subject])),
    ratios: [],
  };
  if (rawPerSecond !== null) {
    results.raw = { messages: 1_000, bodyBytes: 300, window: 100, prefetch: 100, elapsedMs: (1_000 / rawPerSecond) * 1_000, perSecond: rawPerSecond, latencyMs: summaryOf(1, 2) };
  }
  return results;
}
