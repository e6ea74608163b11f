import { consumerQueues, deadLetterQueueOf } from '@warren/contracts';
import type { Broker } from '@warren/operations';

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
 * Queue depth and consumers by passive declare (no management plugin needed); rates are depth
 * deltas between two samples, not message rates.
 */
export function createQueueState(broker: Broker, { keep = 60, queues = consumerQueues.map((consumer) => consumer.queue) }: { keep?: number; queues?: readonly string[] } = {}): QueueState {
  const samples = new Map<string, { at: Date; depth: number | null; deadLetters: number | null }[]>();
  const declare = async (queue: string) => {
    try {
      return { depth: await broker.checkQueue(queue), consumers: await broker.consumerCount(queue) };
    } catch {
      return { depth: null, consumers: null };
    }
  };
  return {
    async sample() {
      const at = new Date();
      const result: QueueSample[] = [];
      for (const queue of queues) {
        const { depth, consumers } = await declare(queue);
        const deadLetters = (await declare(deadLetterQueueOf(queue))).depth;
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
