import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

/**
 * Where a phase's CPU went: each of the subject's processes, the load generator (this process),
 * and the servers every subject shares (PostgreSQL's processes, RabbitMQ's Erlang VM), as
 * milliseconds of CPU and system calls per event. Read from /proc, so a busy machine changes how
 * long the phase takes far more than what each event costs: these figures compare across runs
 * better than rates. PostgreSQL and RabbitMQ are whole servers: whatever else uses them during
 * the phase (another test run) is counted too.
 */
export interface CpuPerEvent {
  /**
   * Milliseconds of CPU (user + system) per accepted event, by process or server, and its read
   * and write system calls per event (`syscr + syscw` of /proc/<pid>/io: every socket round trip
   * is at least one of each, so this counts round trips and log writes whatever the machine's load).
   */
  byProcess: { name: string; msPerEvent: number; syscallsPerEvent: number }[];
  /** The sums of the above. */
  totalMsPerEvent: number;
  totalSyscallsPerEvent: number;
}

let ticksPerSecond: number | undefined;

/** Clock ticks per second of /proc's CPU times (`getconf CLK_TCK`, 100 on Linux in practice). */
export async function clockTicks(): Promise<number> {
  ticksPerSecond ??= Number((await promisify(execFile)('getconf', ['CLK_TCK'])).stdout.trim()) || 100;
  return ticksPerSecond;
}

/** User plus system CPU ticks of a process, from /proc/<pid>/stat; undefined once it is gone. */
export function cpuTicksOf(stat: string): number {
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** A named group of processes: fixed pids, or every process whose command name (`comm`) matches. */
export type CpuTarget = { name: string; pid: number | undefined } | { name: string; comm: string };

/** The shared servers and the load generator, measured for every subject. */
export const sharedCpuTargets: CpuTarget[] = [
  { name: 'load generator', pid: process.pid },
  { name: 'PostgreSQL', comm: 'postgres' },
  { name: 'RabbitMQ', comm: 'beam.smp' },
];

/** What one process had spent so far. */
export interface ProcessCounters {
  ticks: number;
  /** Read plus write system calls. */
  syscalls: number;
}

/** The counters per pid of each target, now. */
export type CpuSnapshot = Map<string, Map<number, ProcessCounters>>;

/** `syscr + syscw` from /proc/<pid>/io. */
export function syscallsOf(io: string): number {
  const count = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)$`, 'm').exec(io)?.[1] ?? Number.NaN);
  return count('syscr') + count('syscw');
}

async function countersOf(pid: number): Promise<ProcessCounters | undefined> {
  try {
    const [stat, io] = await Promise.all([readFile(`/proc/${pid}/stat`, 'utf8'), readFile(`/proc/${pid}/io`, 'utf8')]);
    return { ticks: cpuTicksOf(stat), syscalls: syscallsOf(io) };
  } catch {
    return undefined;
  }
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

/** The counters of every process of every target, now. */
export async function takeCpuSnapshot(targets: CpuTarget[]): Promise<CpuSnapshot> {
  const byComm = targets.some((target) => 'comm' in target) ? await pidsByComm() : new Map<string, number[]>();
  const snapshot: CpuSnapshot = new Map();
  for (const target of targets) {
    const pids = 'comm' in target ? (byComm.get(target.comm) ?? []) : target.pid === undefined ? [] : [target.pid];
    const counters = new Map<number, ProcessCounters>();
    for (const pid of pids) {
      const value = await countersOf(pid);
      if (value !== undefined) counters.set(pid, value);
    }
    snapshot.set(target.name, counters);
  }
  return snapshot;
}

/**
 * CPU per event between two snapshots. A process that started in between counts from zero; one
 * that ended in between is lost (PostgreSQL's pooled backends and RabbitMQ's VM live through a
 * phase, so this loses little).
 */
export function cpuPerEvent(before: CpuSnapshot, after: CpuSnapshot, events: number, ticksPerSecond: number): CpuPerEvent {
  const byProcess = [...after].map(([name, counters]) => {
    let ticks = 0;
    let syscalls = 0;
    for (const [pid, value] of counters) {
      ticks += value.ticks - (before.get(name)?.get(pid)?.ticks ?? 0);
      syscalls += value.syscalls - (before.get(name)?.get(pid)?.syscalls ?? 0);
    }
    const perEvent = (count: number) => (events > 0 ? count / events : Number.NaN);
    return { name, msPerEvent: perEvent((ticks / ticksPerSecond) * 1_000), syscallsPerEvent: perEvent(syscalls) };
  });
  return {
    byProcess,
    totalMsPerEvent: byProcess.reduce((sum, entry) => sum + entry.msPerEvent, 0),
    totalSyscallsPerEvent: byProcess.reduce((sum, entry) => sum + entry.syscallsPerEvent, 0),
  };
}

/** Snapshots now; the returned function measures CPU per event since then. */
export async function startCpuMeasurement(targets: CpuTarget[]): Promise<(events: number) => Promise<CpuPerEvent>> {
  const ticksPerSecond = await clockTicks();
  const before = await takeCpuSnapshot(targets);
  return async (events) => cpuPerEvent(before, await takeCpuSnapshot(targets), events, ticksPerSecond);
}
