import type { Broker, QueueBrowser } from './broker.ts';
import type { HeldMessage } from './held-message.ts';
import { matches, summarize, type MessageFilter, type ParkedSummary } from './parked-message.ts';

/** A held message that passed the filter, with what was read from it. */
export interface ParkedMessage {
  message: HeldMessage;
  summary: ParkedSummary;
}

export interface ScanOptions {
  filter?: MessageFilter;
  /** Only messages with one of these ids (the message id, else the envelope's), besides the filter. */
  ids?: readonly string[] | undefined;
  /** Stop taking messages once this many matched. */
  limit?: number | undefined;
}

/** Messages parked while a scan runs that it may still take: a steady inflow cannot keep it going. */
const inflowAllowance = 1_000;

/**
 * Takes the messages of a dead-letter queue until none is ready (bounded by its ready count at
 * the start, which quorum queues report with a lag, plus an allowance), hands the matching ones
 * to `act`, and finally returns every message `act` did not remove through the browser:
 * browsing never loses a message, and only `browser.remove` deletes one. Throws
 * `OperationsError` (`queue_not_found`) for a missing queue.
 */
export async function withParkedMessages<T>(
  broker: Broker,
  queue: string,
  { filter = {}, ids, limit }: ScanOptions,
  act: (matched: ParkedMessage[], browser: QueueBrowser) => Promise<T>,
): Promise<T> {
  const ready = await broker.checkQueue(queue);
  const browser = await broker.browse(queue);
  try {
    const matched: ParkedMessage[] = [];
    const bound = ready + inflowAllowance;
    for (let taken = 0; taken < bound && (limit === undefined || matched.length < limit); taken += 1) {
      const message = await browser.take();
      if (!message) break;
      const summary = summarize(message, queue);
      if (matches(message, summary, filter) && (ids === undefined || (summary.id !== null && ids.includes(summary.id)))) matched.push({ message, summary });
    }
    return await act(matched, browser);
  } finally {
    await browser.release();
  }
}
