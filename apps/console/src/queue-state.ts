import { describeError, queueState, readOutboxStatus, type Broker, type OutboxStatus } from '@warren/operations';
import type { ArchiveSources } from './archive.ts';

/** A producer's outbox backlog, or why it could not be read. */
export type OutboxSample = (OutboxStatus & { error?: undefined }) | { service: string; error: string };

/** One queue's state at one moment. */
export interface QueueSample {
  queue: string;
  /** Ready messages (a passive declare); null when the queue does not exist. */
  depth: number | null;
  consumers: number | null;
  deadLetters: number | null;
  /** Change of depth per second since the previous sample (positive: growing). */
  depthRate: number | null;
}

export interface QueueState {
  /** Samples every consumer queue and its dead-letter queue now, and keeps the sample. */
  sample(): Promise<{ at: Date; queues: QueueSample[]; outboxes: OutboxSample[] }>;
  /** The kept samples, oldest first (at most `keep`), for the charts. */
  history(queue: string): { at: Date; depth: number | null; deadLetters: number | null }[];
}

/**
 * Queue depth and consumers by passive declare (the library's `queueState`: no management plugin
 * needed), kept over the last `keep` samples; rates are depth deltas between two samples, not
 * message rates.
 */
export function createQueueState(broker: Broker, archives: ArchiveSources, { keep = 60 }: { keep?: number } = {}): QueueState {
  // The producers' outbox backlog, read from the same databases as their archive (read-only).
  const outboxes = async (): Promise<OutboxSample[]> =>
    Promise.all(
      archives.services.map(async (service) => {
        const sql = archives.sqlOf(service);
        try {
          if (!sql) throw new Error('no database');
          return await readOutboxStatus(sql, service);
        } catch (error) {
          return { service, error: describeError(error) };
        }
      }),
    );
  const samples = new Map<string, { at: Date; depth: number | null; deadLetters: number | null }[]>();
  return {
    async sample() {
      const at = new Date();
      const result: QueueSample[] = [];
      for (const state of await queueState(broker)) {
        const { queue, depth, consumers } = state;
        const deadLetters = state.deadLetter.depth;
        const kept = samples.get(queue) ?? [];
        const previous = kept.at(-1);
        const seconds = previous ? (at.getTime() - previous.at.getTime()) / 1_000 : 0;
        const depthRate = previous && depth !== null && previous.depth !== null && seconds > 0 ? (depth - previous.depth) / seconds : null;
        kept.push({ at, depth, deadLetters });
        samples.set(queue, kept.slice(-keep));
        result.push({ queue, depth, consumers, deadLetters, depthRate });
      }
      return { at, queues: result, outboxes: await outboxes() };
    },
    history: (queue) => samples.get(queue) ?? [],
  };
}
