import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);

/** The JavaScript file behind an npm package's bin (run with this Node, no shell, no PATH lookup). */
export function binOf(packageName: string, bin: string): string {
  const manifestPath = require.resolve(`${packageName}/package.json`);
  const manifest = require(manifestPath) as { bin?: string | Record<string, string> };
  const relative = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[bin];
  if (!relative) throw new Error(`${packageName} has no bin ${bin}`);
  return join(dirname(manifestPath), relative);
}

export interface CliRun {
  exitCode: number | null;
  /** stdout and stderr interleaved, for printing when the run failed. */
  output: string;
  timedOut: boolean;
  seconds: number;
}

/**
 * Runs `node <script> ...args` in `cwd` and resolves when it exits (never rejects on a non-zero
 * exit). Killed with SIGKILL after `timeoutMs`.
 */
export function runCli(script: string, args: string[], { cwd, timeoutMs }: { cwd: string; timeoutMs: number }): Promise<CliRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd,
      // No colours in captured output; everything else (proxies, CA settings) passes through.
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, output: Buffer.concat(chunks).toString('utf8'), timedOut, seconds: (performance.now() - started) / 1_000 });
    });
  });
}
