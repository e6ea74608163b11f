import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** One service as seen in the output of an npm command: its port and every JSON line it logged. */
export interface StartedService {
  port: number;
  baseUrl: string;
  logs: Record<string, unknown>[];
}

/** An npm command of the repository (`npm start`, `npm start -w apps/catalog`) running in its own process group. */
export interface NpmRun {
  services: Record<string, StartedService>;
  /** Everything it printed so far, both streams. */
  output(): string;
  /** SIGINT to the whole process group, as Ctrl-C would; SIGKILL if it has not exited in 30 s. */
  stop(): Promise<number | null>;
  readonly child: ChildProcess;
}

export interface NpmRunOptions {
  /** `npm` arguments: `['start']`, `['start', '-w', 'apps/catalog']`. */
  args: string[];
  /** The whole environment of the command (nothing else is added). */
  env: NodeJS.ProcessEnv;
  /** The services whose "service started" line to wait for. */
  services: readonly string[];
  startTimeoutMs?: number;
}

// `@warren/catalog:start: {...}` from turbo, or a bare JSON line from a single workspace's start.
const logLine = /^(?:@warren\/([a-z][a-z0-9-]*):[a-z:]+: )?(\{.*\})\s*$/;

/**
 * Runs an npm command from the repository root exactly as a user types it and resolves once every
 * service in `services` logged that it started (ports read from those lines). Rejects with the
 * command's output when it exits first or a service does not start in time.
 */
export function npmRun({ args, env, services, startTimeoutMs = 120_000 }: NpmRunOptions): Promise<NpmRun> {
  const child = spawn('npm', args, { cwd: repositoryRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: string[] = [];
  const started: Record<string, StartedService> = {};
  const logsOf: Record<string, Record<string, unknown>[]> = {};
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    signalGroup(child, 'SIGINT');
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 30_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`npm ${args.join(' ')} ${reason}:\n${chunks.join('')}`)));
    };
    const timer = setTimeout(() => fail(`did not start ${services.join(', ')} within ${startTimeoutMs} ms`), startTimeoutMs);
    let buffered = '';
    child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
    child.stdout?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      chunks.push(text);
      buffered += text;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const match = logLine.exec(line);
        if (!match?.[2]) continue;
        let entry: Record<string, unknown>;
        try {
          entry = JSON.parse(match[2]) as Record<string, unknown>;
        } catch {
          continue;
        }
        const service = match[1] ?? (typeof entry['service'] === 'string' ? entry['service'] : 'unknown');
        (logsOf[service] ??= []).push(entry);
        if (entry['msg'] === 'service started') {
          const port = Number(entry['port']);
          started[service] = { port, baseUrl: `http://127.0.0.1:${port}`, logs: logsOf[service] };
          if (services.every((name) => started[name])) {
            clearTimeout(timer);
            resolve({ services: started, output: () => chunks.join(''), stop, child });
          }
        }
      }
    });
    void exited.then((code) => {
      if (services.every((name) => started[name])) return;
      clearTimeout(timer);
      reject(new Error(`npm ${args.join(' ')} exited with ${code} before ${services.join(', ')} started:\n${chunks.join('')}`));
    });
  });
}

/** Runs an npm command to its end (at most `timeoutMs`) and returns its exit code and output. */
export async function npmRunToExit(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', args, { cwd: repositoryRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  return { code, output: chunks.join('') };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // the group is gone already
  }
}
