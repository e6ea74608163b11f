import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestVhost } from '@warren/testing';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** What one `warren` run printed and returned. */
export interface WarrenRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A parked message as `warren dlq list --json` prints it. */
export interface ParkedMessage {
  id: string;
  type: string;
  deadLetterQueue: string;
  queue: string;
  parkedBy: string;
  error: string;
  attempts: number | null;
  replayCount: number;
}

/** Runs `npm run warren -- <args>` from the repository root, as an operator would, against the test vhost. */
export function runWarren(vhost: TestVhost, args: readonly string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<WarrenRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'warren', '--', ...args], {
      cwd: repositoryRoot,
      // Without a management API the CLI finds the dead-letter queues from the declared topology.
      env: { ...process.env, AMQP_URL: vhost.url, AMQP_MANAGEMENT_URL: vhost.managementUrl ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Every message parked in the vhost's `*.dlq` queues, read with `warren dlq list --json` (returned, not consumed). */
export async function listParked(vhost: TestVhost): Promise<ParkedMessage[]> {
  const run = await runWarren(vhost, ['dlq', 'list', '--json']);
  if (run.code !== 0) throw new Error(`warren dlq list exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as ParkedMessage[];
}
