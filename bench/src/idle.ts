import { readFile } from 'node:fs/promises';
import postgres from 'postgres';
import { clockTicks, takeCpuSnapshot } from './cpu.ts';

/** One process's resident set size (RSS), MiB. */
export interface ProcessMemory {
  name: string;
  rssMiB: number;
}

/** What a subject costs with no load at all: its polling safety nets, heartbeats and timers. */
export interface IdleResult {
  seconds: number;
  /** CPU time of each process over the window, as a share of one core. */
  processes: { name: string; cpuPercent: number }[];
  /** Resident memory of each process at the end of the window (at rest). */
  memory?: ProcessMemory[];
  /** Transactions (commits and rollbacks) per second in each of its databases. */
  databases: { name: string; transactionsPerSecond: number }[];
}

export interface IdleTarget {
  processes: { name: string; pid: number | undefined }[];
  /** Names of the subject's databases. */
  databases: string[];
}

/** Resident set size in MiB from /proc/<pid>/status (`VmRSS`, in kB); NaN when absent. */
export function rssMiBOf(status: string): number {
  const kilobytes = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
  return kilobytes === undefined ? Number.NaN : Number(kilobytes) / 1_024;
}

/** The resident memory of each process now, in MiB (NaN for a process that is gone). */
export async function measureRss(processes: IdleTarget['processes']): Promise<ProcessMemory[]> {
  return Promise.all(
    processes.map(async ({ name, pid }) => ({
      name,
      rssMiB: pid === undefined ? Number.NaN : await readFile(`/proc/${pid}/status`, 'utf8').then(rssMiBOf, () => Number.NaN),
    })),
  );
}

/**
 * After `settleMs` with no load, samples the subject's processes' CPU time and its databases'
 * transaction counters (`pg_stat_database`), waits `seconds`, samples again, and returns the rates
 * and each process's resident memory at the end.
 */
export async function measureIdle(adminUrl: string, target: IdleTarget, seconds: number, settleMs = 11_000): Promise<IdleResult> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const transactions = async () =>
      new Map(
        (await sql<{ datname: string; count: string }[]>`select datname, (xact_commit + xact_rollback)::text as count from pg_stat_database where datname = any(${target.databases})`).map((row) => [
          row.datname,
          Number(row.count),
        ]),
      );
    const ticks = await clockTicks();
    // Other sessions flush their counts to pg_stat_database late, at the latest 10 s after they go
    // idle (PostgreSQL 15): wait that long first, so the warm-up's writes are not counted here.
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const before = { cpu: await takeCpuSnapshot(target.processes), xacts: await transactions(), at: performance.now() };
    await new Promise((resolve) => setTimeout(resolve, seconds * 1_000));
    const after = { cpu: await takeCpuSnapshot(target.processes), xacts: await transactions(), at: performance.now() };
    const elapsed = (after.at - before.at) / 1_000;
    const memory = await measureRss(target.processes);
    return {
      seconds: elapsed,
      memory,
      processes: target.processes.map(({ name, pid }) => {
        const start = pid === undefined ? undefined : before.cpu.get(name)?.get(pid)?.ticks;
        const end = pid === undefined ? undefined : after.cpu.get(name)?.get(pid)?.ticks;
        return { name, cpuPercent: start === undefined || end === undefined ? Number.NaN : ((end - start) / ticks / elapsed) * 100 };
      }),
      databases: target.databases.map((name) => ({ name, transactionsPerSecond: ((after.xacts.get(name) ?? 0) - (before.xacts.get(name) ?? 0)) / elapsed })),
    };
  } finally {
    await sql.end();
  }
}
