import { readdir, readFile } from 'node:fs/promises';
import { clockTicks, cpuTicksOf } from './idle.ts';

/**
 * Where a phase's CPU went: each of the subject's processes, the load generator (this process),
 * and the servers every subject shares (PostgreSQL's processes, RabbitMQ's Erlang VM), as
 * milliseconds of CPU per event. Read from /proc, so a busy machine changes how long the phase
 * takes far more than what each event costs: these figures compare across runs better than rates.
 */
export interface CpuPerEvent {
  /** Milliseconds of CPU (user + system) per accepted event, by process or server. */
  byProcess: { name: string; msPerEvent: number }[];
  /** The sum of the above. */
  totalMsPerEvent: number;
}

/** A named group of processes: fixed pids, or every process whose command name (`comm`) matches. */
export type CpuTarget = { name: string; pid: number | undefined } | { name: string; comm: string };

/** The shared servers and the load generator, measured for every subject. */
export const sharedCpuTargets: CpuTarget[] = [
  { name: 'load generator', pid: process.pid },
  { name: 'PostgreSQL', comm: 'postgres' },
  { name: 'RabbitMQ', comm: 'beam.smp' },
];

/** CPU ticks per pid of each target, now. */
export type CpuSnapshot = Map<string, Map<number, number>>;

async function ticksOf(pid: number): Promise<number | undefined> {
  return readFile(`/proc/${pid}/stat`, 'utf8').then(cpuTicksOf, () => undefined);
}

async function pidsByComm(): Promise<Map<string, number[]>> {
  const byComm = new Map<string, number[]>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const comm = await readFile(`/proc/${entry}/comm`, 'utf8').then((text) => text.trim(), () => undefined);
    if (comm === undefined) continue;
    byComm.set(comm, [...(byComm.get(comm) ?? []), Number(entry)]);
  }
  return byComm;
}

/** The CPU ticks of every process of every target, now. */
export async function takeCpuSnapshot(targets: CpuTarget[]): Promise<CpuSnapshot> {
  const byComm = targets.some((target) => 'comm' in target) ? await pidsByComm() : new Map<string, number[]>();
  const snapshot: CpuSnapshot = new Map();
  for (const target of targets) {
    const pids = 'comm' in target ? (byComm.get(target.comm) ?? []) : target.pid === undefined ? [] : [target.pid];
    const ticks = new Map<number, number>();
    for (const pid of pids) {
      const value = await ticksOf(pid);
      if (value !== undefined) ticks.set(pid, value);
    }
    snapshot.set(target.name, ticks);
  }
  return snapshot;
}

/**
 * CPU per event between two snapshots. A process that started in between counts from zero; one
 * that ended in between is lost (PostgreSQL's pooled backends and RabbitMQ's VM live through a
 * phase, so this loses little).
 */
export function cpuPerEvent(before: CpuSnapshot, after: CpuSnapshot, events: number, ticksPerSecond: number): CpuPerEvent {
  const byProcess = [...after].map(([name, ticks]) => {
    let spent = 0;
    for (const [pid, value] of ticks) spent += value - (before.get(name)?.get(pid) ?? 0);
    return { name, msPerEvent: events > 0 ? ((spent / ticksPerSecond) * 1_000) / events : Number.NaN };
  });
  return { byProcess, totalMsPerEvent: byProcess.reduce((sum, entry) => sum + entry.msPerEvent, 0) };
}

/** Snapshots now; the returned function measures CPU per event since then. */
export async function startCpuMeasurement(targets: CpuTarget[]): Promise<(events: number) => Promise<CpuPerEvent>> {
  const ticksPerSecond = await clockTicks();
  const before = await takeCpuSnapshot(targets);
  return async (events) => cpuPerEvent(before, await takeCpuSnapshot(targets), events, ticksPerSecond);
}
