import { spawn, type ChildProcess } from 'node:child_process';
import { waitForServiceStarted } from '@warren/testing';

/** A process the bench started that logs JSON lines on stdout (a naive service, the OTLP sink). */
export interface BenchChild {
  name: string;
  /** The port from its `service started` line (0 when it listens on none). */
  port: number;
  /** Every JSON line it logged so far (the bench empties it after tallying warnings). */
  logs: Record<string, unknown>[];
  /** SIGTERM and wait for the exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  readonly child: ChildProcess;
}

export interface SpawnChildOptions {
  name: string;
  /** The TypeScript file Node runs, and its arguments. */
  args: string[];
  env: Record<string, string>;
  startTimeoutMs?: number;
}

/**
 * Runs `node <args>` and resolves once it logged `{"msg":"service started","port":…}`. Rejects
 * with its stderr when it exits first or does not start within `startTimeoutMs`.
 */
export function spawnChild({ name, args, env, startTimeoutMs = 30_000 }: SpawnChildOptions): Promise<BenchChild> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return waitForServiceStarted(child, name, startTimeoutMs).then(({ port, logs, exited }) => ({
    name,
    port,
    logs,
    child,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  }));
}
