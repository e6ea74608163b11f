import { writeSync } from 'node:fs';

/** Where pino writes: every line is handed to `write`. */
export interface TurnBufferedOutput {
  write(line: string): void;
  /** Writes what is pending now (pino's `logger.flush()` calls it). */
  flush(callback?: (error?: Error) => void): void;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const outputs = new Map<number, TurnBufferedOutput>();

/**
 * Log lines for a file descriptor (standard output by default), written from the main thread,
 * synchronously, once per turn of the event loop: all the lines of a turn in one write(2).
 *
 * Written here rather than taken from pino because pino's default destination (sonic-boom,
 * asynchronous) hands every line to libuv's thread pool: a write in a worker, an eventfd to wake
 * the main thread and the handoffs between the threads, for each line; under load that was three
 * system calls and two thread wake-ups per request. sonic-boom's synchronous mode writes each
 * line on its own and its flush also calls fsync. A line here waits at most for the end of the
 * current turn; what is pending when the process exits is written then. A full pipe (EAGAIN) is
 * waited out, as sonic-boom does; a closed one (EPIPE) ends logging, as pino does.
 */
export function turnBufferedOutput(fd = 1): TurnBufferedOutput {
  const existing = outputs.get(fd);
  if (existing) return existing;
  let pending = '';
  let scheduled = false;
  let closed = false;

  const writePending = () => {
    scheduled = false;
    if (pending === '' || closed) return;
    let buffer = Buffer.from(pending, 'utf8');
    pending = '';
    while (buffer.length > 0) {
      try {
        buffer = buffer.subarray(writeSync(fd, buffer));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          Atomics.wait(sleeper, 0, 0, 5);
          continue;
        }
        if (code === 'EPIPE') {
          closed = true;
          return;
        }
        throw error;
      }
    }
  };

  const output: TurnBufferedOutput = {
    write(line) {
      if (closed) return;
      pending += line;
      if (!scheduled) {
        scheduled = true;
        setImmediate(writePending);
      }
    },
    flush(callback) {
      try {
        writePending();
        callback?.();
      } catch (error) {
        callback?.(error as Error);
      }
    },
  };
  process.on('exit', writePending);
  outputs.set(fd, output);
  return output;
}
