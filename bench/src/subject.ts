import type { AppliedProbe } from './applied.ts';
import type { IdleResult, IdleTarget, ProcessMemory } from './idle.ts';
import type { FixedRateResult, FullSpeedResult } from './results.ts';
import type { LoggingProcess, ServiceWarnings } from './service-logs.ts';

/** What one bench run can measure, in the order it measures them. */
export const subjectNames = ['raw', 'naive', 'warren-default', 'warren-tuned', 'warren-tracing'] as const;
export type SubjectName = (typeof subjectNames)[number];
/** The subjects with an HTTP edge and two consumers, loaded by the same phases. */
export type SystemSubjectName = Exclude<SubjectName, 'raw'>;

/** Column titles of the report. */
export const subjectLabels: Record<SubjectName, string> = {
  raw: 'raw broker',
  naive: 'naive',
  'warren-default': 'Warren default',
  'warren-tuned': 'Warren tuned',
  'warren-tracing': 'Warren tuned + tracing',
};

/**
 * Parses `BENCH_SUBJECTS` (comma-separated names, in any order; empty = all) into the subjects
 * to run, in run order. Throws naming an unknown subject.
 */
export function parseSubjects(value: string | undefined): SubjectName[] {
  if (!value || value.trim() === '') return [...subjectNames];
  const wanted = value.split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of wanted) {
    if (!(subjectNames as readonly string[]).includes(name)) throw new Error(`BENCH_SUBJECTS: unknown subject ${JSON.stringify(name)}; known: ${subjectNames.join(', ')}`);
  }
  return subjectNames.filter((name) => wanted.includes(name));
}

/** A subject's processes, started and ready for load. */
export interface RunningSubject {
  /** The catalog edge (`POST /api/v1/items`). */
  baseUrl: string;
  probe: AppliedProbe;
  /** Its processes, whose warn-or-worse log lines are tallied after each phase. */
  processes: LoggingProcess[];
  /** Its processes' ids and its databases, for the idle measurement. */
  idle: IdleTarget;
  /** Stops the processes (and closes the probe). */
  close(): Promise<void>;
}

/** What the phases measured of one subject. */
export interface SubjectResult {
  name: SystemSubjectName;
  /** The environment its processes were given (on top of ports, databases and the vhost). */
  settings: Record<string, string>;
  /** Process start-up to ready, seconds. */
  startSeconds: number;
  /** Its cost at zero load, measured after the warm-up was applied. */
  idle?: IdleResult;
  fullSpeed: FullSpeedResult;
  /** Resident memory of each process once the full-speed phase was applied. */
  memoryAfterFullSpeed?: ProcessMemory[];
  fixedRate: FixedRateResult[];
  serviceWarnings: ServiceWarnings;
  /** Export requests and bytes the OTLP sink received during the subject (tracing only). */
  otlp?: { requests: number; bytes: number };
}
