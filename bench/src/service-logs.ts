/** Warnings and errors the processes of a subject logged, per process name. */
export type ServiceWarnings = Record<string, { count: number; first: string }>;

/** A process whose JSON log lines the bench keeps (a Warren service or a naive one). */
export interface LoggingProcess {
  name: string;
  logs: Record<string, unknown>[];
}

// Warren's logger writes pino's level as its label; the naive processes do the same.
const serious = new Set(['warn', 'error', 'fatal']);

/**
 * Tallies the warn-or-worse lines each process logged since the last call into `into`, then
 * empties the kept lines so that a long run's request logs do not pile up in memory.
 */
export function collectServiceWarnings(processes: LoggingProcess[], into: ServiceWarnings): ServiceWarnings {
  for (const { name, logs } of processes) {
    for (const entry of logs) {
      if (!serious.has(String(entry['level']))) continue;
      const seen = (into[name] ??= { count: 0, first: String(entry['msg']) });
      seen.count++;
    }
    logs.length = 0;
  }
  return into;
}
