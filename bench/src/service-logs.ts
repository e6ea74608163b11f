import type { RunningSystem, ServiceName } from '@warren/testing';

/** Warnings and errors the services logged, per service. */
export type ServiceWarnings = Partial<Record<ServiceName, { count: number; first: string }>>;

// Warren's logger writes pino's level as its label.
const serious = new Set(['warn', 'error', 'fatal']);

/**
 * Tallies the warn-or-worse lines each service logged since the last call into `into`, then
 * empties the kept lines so that a long run's request logs do not pile up in memory.
 */
export function collectServiceWarnings(system: RunningSystem, into: ServiceWarnings): ServiceWarnings {
  for (const [name, service] of Object.entries(system.services) as [ServiceName, RunningSystem['services'][ServiceName]][]) {
    for (const entry of service.logs) {
      if (!serious.has(String(entry['level']))) continue;
      const seen = (into[name] ??= { count: 0, first: String(entry['msg']) });
      seen.count++;
    }
    service.logs.length = 0;
  }
  return into;
}
