import { expect } from 'vitest';
import { startWriter, type Writer, type WriterOptions } from './writer.ts';

export interface StreamOptions extends Omit<WriterOptions, 'prefix'> {
  /** Writes accepted before the fault is injected; default 5. */
  before?: number;
  /** Writes accepted after the fault (the system recovered and kept going); default 10. */
  after?: number;
}

/**
 * Runs `fault` in the middle of a steady stream of writes: waits for `before` accepted writes,
 * injects the fault, waits for `after` more, then stops the stream and asserts that the edges
 * only answered what a client under faults may see (201, 409, 503 problem+json). Every accepted
 * item id is added to `accepted`.
 */
export async function duringStream(
  prefix: string,
  accepted: Set<string>,
  fault: (writer: Writer) => Promise<void>,
  { before = 5, after = 10, ...options }: StreamOptions,
): Promise<Writer> {
  const writer = startWriter({ ...options, prefix: `${prefix}-${crypto.randomUUID().slice(0, 6)}` });
  try {
    await writer.acceptMore(before);
    await fault(writer);
    await writer.acceptMore(after);
  } finally {
    await writer.stop().finally(() => {
      for (const id of writer.accepted.values()) accepted.add(id);
    });
  }
  expect(writer.unexpected, 'answers outside 201 / 409 / 503 problem+json').toEqual([]);
  return writer;
}
