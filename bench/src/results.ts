import type { ClosedLoopResult } from './closed-loop.ts';
import type { EndToEndLatency } from './end-to-end.ts';
import type { MachineInfo } from './machine.ts';
import type { OpenLoopResult } from './open-loop.ts';
import type { RawBaselineResult } from './raw-baseline.ts';
import type { ServiceWarnings } from './service-logs.ts';

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
    seconds: number;
    concurrency: number;
    rates: number[];
    openMaxInFlight: number;
    lateThresholdMs: number;
    serviceEnv: Record<string, string>;
  };
  raw: RawBaselineResult;
  fullSpeed: FullSpeedResult;
  fixedRate: FixedRateResult[];
  /** Warren's fully-applied events per second over the raw baseline's messages per second. */
  ratio: number;
  /** Warn-or-worse log lines of the services during the run (none expected). */
  serviceWarnings: ServiceWarnings;
}
