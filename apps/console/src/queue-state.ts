import { queueState, type Broker } from '@warren/operations';

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
  sample(): Promise<{ at: Date; queues: QueueSample[] }>;
  /** The kept samples, oldest first (at most `keep`), for the charts. */
  history(queue: string): { at: Date; depth: number | null; deadLetters: number | null }[];
}

/**
 * Queue depth and consumers by passive declare (the library's `queueState`: no management plugin
 * needed), kept over the last `keep` samples; rates are depth deltas between two samples, not
 * message rates.
 */
export function createQueueState(broker: Broker, { keep = 60 }: { keep?: number } = {}): QueueState {
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
      return { at, queues: result };
    },
    history: (queue) => samples.get(queue) ?? [],
  };
}
