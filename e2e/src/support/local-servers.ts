import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { infrastructure } from '@warren/testing';

/** What a command printed and returned. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command of the machine (no shell), killed after `timeoutMs`. */
export function runCommand(command: string, args: readonly string[], timeoutMs = 60_000): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr: stderr || (error?.message ?? '') });
    });
  });
}

async function succeed(command: string, args: readonly string[], timeoutMs?: number): Promise<string> {
  const result = await runCommand(command, args, timeoutMs);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

/**
 * Why the chaos scenarios cannot run here, or undefined when they can: they stop and start the
 * machine's own RabbitMQ and PostgreSQL with their admin tools, which cannot reach servers that
 * testcontainers started (pg_lsclusters stands for the Debian cluster tools pg_ctlcluster belongs to).
 */
export async function chaosUnavailable(): Promise<string | undefined> {
  if (infrastructure().source === 'containers') return 'the servers are testcontainers; rabbitmqctl and pg_ctlcluster act on the local ones';
  for (const [tool, args] of [['rabbitmqctl', ['version']], ['pg_lsclusters', ['--no-header']]] as const) {
    if ((await runCommand(tool, args, 15_000)).code !== 0) return `${tool} is not available on this machine`;
  }
  return undefined;
}

/** The local RabbitMQ node, driven with rabbitmqctl. */
export const localRabbit = {
  stopApp: () => succeed('rabbitmqctl', ['stop_app']),
  startApp: () => succeed('rabbitmqctl', ['start_app']),
  /** Closes every client connection of the node, in every vhost, with `reason` shown to the clients. */
  closeAllConnections: (reason: string) => succeed('rabbitmqctl', ['close_all_connections', '--global', reason]),
  async answers(): Promise<boolean> {
    return (await runCommand('rabbitmq-diagnostics', ['-q', 'ping'], 15_000)).code === 0;
  },
  /** Starts the app if it is stopped (cleanup after a failed scenario). */
  async ensureRunning(): Promise<void> {
    if (!(await localRabbit.answers())) await localRabbit.startApp();
  },
};

function cluster(): string[] {
  const [version] = readdirSync('/etc/postgresql');
  if (version === undefined) throw new Error('no PostgreSQL cluster in /etc/postgresql');
  return ['--skip-systemctl-redirect', version, 'main'];
}

/** The local PostgreSQL cluster, driven with pg_ctlcluster. */
export const localPostgres = {
  stop: () => succeed('pg_ctlcluster', [...cluster(), 'stop']),
  start: () => succeed('pg_ctlcluster', [...cluster(), 'start']),
  async answers(): Promise<boolean> {
    return (await runCommand('pg_isready', ['-h', '127.0.0.1'], 15_000)).code === 0;
  },
  /** Starts the cluster if it is down (cleanup after a failed scenario). */
  async ensureRunning(): Promise<void> {
    if (!(await localPostgres.answers())) await localPostgres.start();
  },
};
