import type { ClosedLoopResult } from './closed-loop.ts';
import type { CpuPerEvent } from './cpu.ts';
import type { EndToEndLatency } from './end-to-end.ts';
import type { MachineInfo } from './machine.ts';
import type { OpenLoopResult } from './open-loop.ts';
import type { RawBaselineResult } from './raw-baseline.ts';
import type { Ratio } from './ratios.ts';
import type { SubjectName, SubjectResult, SystemSubjectName } from './subject.ts';

/** The full-speed phase: the writes, and when both consumers had applied all of them. */
export interface FullSpeedResult {
  load: ClosedLoopResult;
  endToEnd: EndToEndLatency;
  /** First write sent to the last event applied by the slower consumer. */
  appliedWindowMs: number;
  /** Accepted writes over `appliedWindowMs`: events fully applied by both consumers per second. */
  appliedPerSecond: number;
  /** Last answer received to the last event applied: the backlog the consumers still had. */
  drainAfterLastAnswerMs: number;
  /** CPU per accepted event of each process and shared server, from the first write to all applied. */
  cpu?: CpuPerEvent;
}

/** One fixed-rate phase. */
export interface FixedRateResult {
  load: OpenLoopResult;
  endToEnd: EndToEndLatency;
}

/** Everything one run measured, as written to `results/latest.json`. */
export interface BenchResults {
  startedAt: string;
  totalSeconds: number;
  machine: MachineInfo;
  settings: {
    subjects: SubjectName[];
    seconds: number;
    concurrency: number;
    rates: number[];
    openMaxInFlight: number;
    lateThresholdMs: number;
    giveUpAfterMs: number;
  };
  /** The raw broker baseline, when `raw` was among the subjects. */
  raw?: RawBaselineResult;
  /** The subjects loaded through their HTTP edge, by name. */
  subjects: Partial<Record<SystemSubjectName, SubjectResult>>;
  /** Warren's figures over the baselines', and tracing on over off (`ratios.ts`). */
  ratios: Ratio[];
}
