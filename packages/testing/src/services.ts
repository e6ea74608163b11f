import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitForServiceStarted } from './service-start.ts';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** A Warren service running as its own process, exactly as `npm start` runs it. */
export interface ServiceProcess {
  name: string;
  port: number;
  baseUrl: string;
  /** Every JSON line it logged so far. */
  logs: Record<string, unknown>[];
  /** SIGTERM (graceful) and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
  readonly child: ChildProcess;
}

export interface SpawnServiceOptions {
  env: Record<string, string>;
  /** How long to wait for the "service started" line. */
  startTimeoutMs?: number;
}

/**
 * Starts `apps/<name>/src/main.ts` with Node on a free port and resolves once it logged that it
 * started. Rejects with its output when it exits first or does not start in time.
 */
export function spawnService(name: string, { env, startTimeoutMs = 30_000 }: SpawnServiceOptions): Promise<ServiceProcess> {
  // Exactly what the app's `npm start` runs, from the app's folder, with the caller's settings
  // only: a developer's `.env` is not read (WARREN_DOTENV=false).
  const preloads = ['--import', '@warren/service/register', '--import', '@warren/telemetry/register'];
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', ...preloads, 'src/main.ts'], {
    cwd: `${repositoryRoot}apps/${name}`,
    env: { ...process.env, WARREN_DOTENV: 'false', PORT: '0', LOG_LEVEL: 'info', LOG_PRETTY: 'false', OTEL_SERVICE_NAME: name, OTEL_SDK_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return waitForServiceStarted(child, name, startTimeoutMs).then(({ port, logs, exited }) => ({
    name,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    logs,
    child,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  }));
}
