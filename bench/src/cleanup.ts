import { readdir, readFile } from 'node:fs/promises';
import postgres from 'postgres';
import { delay, withTimeout } from './timeout.ts';

/** Undo actions, run last-added first, once, each bounded in time; failures are collected, not thrown. */
export interface Cleanup {
  add(what: string, action: () => Promise<void>): void;
  /** Runs every action (once, however often it is called) and resolves with the failures. */
  run(): Promise<string[]>;
}

/** Creates an empty cleanup stack whose actions get `timeoutMs` each. */
export function createCleanup(timeoutMs = 60_000): Cleanup {
  const actions: { what: string; action: () => Promise<void> }[] = [];
  let running: Promise<string[]> | undefined;
  return {
    add: (what, action) => void actions.push({ what, action }),
    run() {
      running ??= (async () => {
        const failures: string[] = [];
        for (const { what, action } of actions.reverse()) {
          try {
            await withTimeout(action(), timeoutMs, `cleanup: ${what}`);
          } catch (error) {
            failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
        return failures;
      })();
      return running;
    },
  };
}

/**
 * SIGTERMs this process's own child processes, by pid (Linux `/proc`; elsewhere a no-op), waits
 * up to `waitMs` for them to exit, and resolves with their pids: the services, when start-up
 * failed before they could be handed over.
 */
export async function terminateChildren(waitMs = 20_000): Promise<number[]> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  const children: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Fields after the parenthesized command name: state, then ppid.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === process.pid) children.push(Number(entry));
  }
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  const deadline = Date.now() + waitMs;
  for (const pid of children) {
    while (Date.now() < deadline && (await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined)) !== undefined) await delay(50);
  }
  return children;
}

/** Drops every database named `<prefix>_…` (left over when start-up failed half-way). */
export async function dropDatabases(adminUrl: string, prefix: string): Promise<string[]> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ datname: string }[]>`select datname from pg_database where starts_with(datname, ${`${prefix}_`})`;
    for (const { datname } of rows) await sql.unsafe(`drop database if exists "${datname}" with (force)`);
    return rows.map((row) => row.datname);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
