import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const logger = new URL('./logger.ts', import.meta.url).pathname;

/** Runs `body` in a fresh Node process with `createLogger` imported; returns its stdout and stderr. */
async function inChild(body: string): Promise<{ stdout: string; stderr: string }> {
  // Every write to standard output is counted: fs.writeSync is wrapped before the logger is loaded.
  const script = `import fs from 'node:fs';
    import { syncBuiltinESMExports } from 'node:module';
    let stdoutWrites = 0;
    const writeSync = fs.writeSync;
    fs.writeSync = (fd, ...rest) => { if (fd === 1) stdoutWrites += 1; return writeSync(fd, ...rest); };
    syncBuiltinESMExports();
    const { createLogger } = await import(${JSON.stringify(logger)});
    ${body}`;
  return run(process.execPath, ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script], { encoding: 'utf8' });
}

describe('a service logger’s standard output', () => {
  it('writes all the lines of one turn of the event loop in one system call, in order', async () => {
    const { stdout, stderr } = await inChild(`
      const log = createLogger({ service: 'probe' });
      for (let index = 0; index < 200; index += 1) log.info({ index }, 'line');
      await new Promise((resolve) => setImmediate(resolve));
      console.error(stdoutWrites);
    `);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as { index: number; service: string });
    expect(lines.map((line) => line.index)).toEqual([...Array.from({ length: 200 }).keys()]);
    expect(lines[0]?.service).toBe('probe');
    // One write for the 200 lines (pino's default destination made one per line, from worker threads).
    expect(Number(stderr.trim())).toBe(1);
  });

  it('writes what is pending when the process exits in the same turn', async () => {
    const { stdout } = await inChild(`
      const log = createLogger({ service: 'probe' });
      log.warn('the last words');
      process.exit(0);
    `);
    expect(JSON.parse(stdout.trim())).toMatchObject({ service: 'probe', level: 'warn', msg: 'the last words' });
  });
});
