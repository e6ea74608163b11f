import { spawn, type ChildProcess } from 'node:child_process';

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
        if (entry['msg'] !== 'service started') continue;
        clearTimeout(timer);
        resolve({
          name,
          port: Number(entry['port']),
          logs,
          child,
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before starting:\n${stderr.join('')}`));
    });
  });
}
