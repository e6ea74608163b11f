import type { ChildProcess } from 'node:child_process';

/** A child process that logged `{"msg":"service started","port":…}`. */
export interface StartedChild {
  port: number;
  /** Every JSON line it logged so far, and every one it logs from now on. */
  logs: Record<string, unknown>[];
  /** Resolves with its exit code once it exits. */
  exited: Promise<number | null>;
}

/**
 * Collects the JSON lines `child` writes to stdout and resolves once one says `service started`
 * (the line every Warren service, and the bench's naive ones, log when they listen). Rejects with
 * its stderr when it exits first, or kills it and rejects after `startTimeoutMs`.
 */
export function waitForServiceStarted(child: ChildProcess, name: string, startTimeoutMs: number): Promise<StartedChild> {
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
        resolve({ port: Number(entry['port']), logs, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before starting:\n${stderr.join('')}`));
    });
  });
}
