import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
  const logs: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  let buffered = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within ${startTimeoutMs} ms:\n${stderr.join('')}`));
    }, startTimeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        let entry: Record<string, unknown>;
        try {
          entry = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue;
        }
        logs.push(entry);
        if (entry['msg'] === 'service started') {
          clearTimeout(timer);
          const port = Number(entry['port']);
          resolve({
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
          });
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before starting:\n${stderr.join('')}`));
    });
  });
}
