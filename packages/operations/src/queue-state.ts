import { consumerQueues, deadLetterQueueOf } from '@warren/contracts';
import type { Broker } from './broker.ts';
import { OperationsError } from './errors.ts';

/** Depth and consumers of one queue; `exists: false` (and nulls) when it is not declared. */
export interface QueueFigures {
  queue: string;
  exists: boolean;
  /** Ready messages (quorum queues report them with a short lag). */
  depth: number | null;
  consumers: number | null;
}

/** A work queue and its dead-letter queue. */
export interface QueueState extends QueueFigures {
  /** The service consuming it: the queue name up to its first dot. */
  service: string;
  deadLetter: QueueFigures;
}

async function figures(broker: Broker, queue: string): Promise<QueueFigures> {
  try {
    const { messageCount, consumerCount } = await broker.inspectQueue(queue);
    return { queue, exists: true, depth: messageCount, consumers: consumerCount };
  } catch (error) {
    if (error instanceof OperationsError && error.code === 'queue_not_found') return { queue, exists: false, depth: null, consumers: null };
    throw error;
  }
}

/**
 * Depth and consumer count of each work queue in `queues` (default: every consumer queue
 * declared in `@warren/contracts`) and of its `<queue>.dlq`, read with passive declares (no
 * management plugin needed; nothing is declared or changed). A missing queue is reported as such.
 * Throws `OperationsError` (`unavailable`) when the broker cannot answer.
 */
export async function queueState(broker: Broker, queues: readonly string[] = consumerQueues.map((consumer) => consumer.queue)): Promise<QueueState[]> {
  const states: QueueState[] = [];
  for (const queue of queues) {
    states.push({ ...(await figures(broker, queue)), service: queue.split('.')[0] ?? queue, deadLetter: await figures(broker, deadLetterQueueOf(queue)) });
  }
  return states;
}
