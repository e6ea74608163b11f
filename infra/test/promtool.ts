import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prometheusTools } from '@warren/testing/prometheus';

/** What one promtool run printed, and whether it succeeded. */
export interface PromtoolResult {
  ok: boolean;
  output: string;
}

/** Runs `promtool <args>` (found by the @warren/testing/prometheus-setup global setup) in `cwd`. */
export function promtool(args: string[], cwd?: string): PromtoolResult {
  const run = spawnSync(prometheusTools().promtool, args, { cwd, encoding: 'utf8', timeout: 20_000 });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}`.trim() };
}

/** Writes `files` (name → text) to a fresh temporary directory, runs `use(dir)`, then removes it. */
export function withTempFiles<T>(files: Record<string, string>, use: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'warren-promtool-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
