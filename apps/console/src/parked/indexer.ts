import { describeError, findDeadLetterQueues, type Broker } from '@warren/operations';
import type { Logger } from '@warren/telemetry';
import type { ActivityLog } from '../activity.ts';
import { readParked } from './records.ts';
import type { IndexStore } from './index-store.ts';

export interface IndexerOptions {
  broker: Broker;
  store: IndexStore;
  activity: ActivityLog;
  logger: Logger;
  /** Between two scans of every dead-letter queue. */
  intervalMs: number;
  /** How long a retried message must stay away from the dead-letter queues to count as applied. */
  retryWindowMs: number;
}

/** Keeps the index of parked messages current: every `intervalMs`, and on demand. */
export interface Indexer {
  /** Scans one dead-letter queue, or every one; resolves once the index holds the result. */
  refresh(deadLetterQueue?: string): Promise<void>;
  /**
   * Runs `work` (an action that browses dead-letter queues) while no scan runs, and holds scans
   * back until it is done: a scan holds each message it reads for a moment, and an action must
   * not miss a message because of it (nor a scan miss one an action holds). Must not call `refresh`.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  /** The dead-letter queues found at the last full scan. */
  readonly queues: readonly string[];
  close(): Promise<void>;
}

/**
 * Starts scanning at once and then on an interval. Scans never overlap, nor overlap an action
 * run through `exclusive`: a refresh asked for while one runs waits for it and runs after. A queue that cannot be read keeps its last rows
 * and the failure is recorded with the scan.
 */
export function startIndexer({ broker, store, activity, logger, intervalMs, retryWindowMs }: IndexerOptions): Indexer {
  let queues: string[] = [];
  let running: Promise<void> = Promise.resolve();
  let closed = false;

  async function scanQueue(queue: string): Promise<void> {
    try {
      await store.replaceQueue(queue, await readParked(broker, queue));
    } catch (error) {
      logger.warn({ err: error, queue }, 'cannot scan dead-letter queue');
      await store.scanFailed(queue, describeError(error));
    }
  }

  async function scan(only?: string): Promise<void> {
    if (only === undefined) queues = await findDeadLetterQueues(broker, {});
    for (const queue of only === undefined ? queues : [only]) await scanQueue(queue);
    await activity.settleReplays(async (messageId) => (await store.byMessageId(messageId)).map((message) => message.replayCount), retryWindowMs);
  }

  const refresh = (only?: string): Promise<void> => {
    running = running.catch(() => undefined).then(() => (closed ? undefined : scan(only)));
    return running;
  };
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const result = running.catch(() => undefined).then(work);
    running = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  };
  const timer = setInterval(() => {
    refresh().catch((error: unknown) => logger.warn({ err: error }, 'index refresh failed'));
  }, intervalMs);
  timer.unref();
  refresh().catch((error: unknown) => logger.warn({ err: error }, 'index refresh failed'));

  return {
    refresh,
    exclusive,
    get queues() {
      return queues;
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await running.catch(() => undefined);
    },
  };
}
