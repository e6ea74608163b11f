import { consumerQueues, deadLetterQueueOf } from '@warren/contracts';
import type { Broker } from './broker.ts';
import { OperationsError } from './errors.ts';
import { listDeadLetterQueues } from './management.ts';

export interface FindDeadLetterQueuesOptions {
  /** Management API to ask for further `*.dlq` queues; none asked when undefined. */
  managementUrl?: string | undefined;
  /** Told when the management API cannot be asked (the search goes on without it); its message is one sentence. */
  onWarning?: (message: string) => void;
  /** The consumer queues whose `<queue>.dlq` to look for; default Warren's declared ones. */
  consumers?: readonly { queue: string }[];
}

/**
 * The dead-letter queues of `broker`'s vhost, sorted: `<queue>.dlq` of every consumer queue
 * declared in @warren/contracts, plus the `*.dlq` queues the management API lists when
 * `managementUrl` is given. Only queues that exist (checked with a passive declare) are returned;
 * an unreachable management API is a warning (`onWarning`), not a failure.
 */
export async function findDeadLetterQueues(broker: Broker, { managementUrl, onWarning = () => {}, consumers = consumerQueues }: FindDeadLetterQueuesOptions): Promise<string[]> {
  const candidates = new Set(consumers.map((consumer) => deadLetterQueueOf(consumer.queue)));
  if (managementUrl !== undefined) {
    try {
      for (const name of await listDeadLetterQueues(managementUrl, broker.vhost)) candidates.add(name);
    } catch (error) {
      if (!(error instanceof OperationsError)) throw error;
      onWarning(`${error.message}; listing the declared consumers' dead-letter queues only`);
    }
  }
  const found: string[] = [];
  for (const name of [...candidates].sort()) {
    if (await broker.queueExists(name)) found.push(name);
  }
  return found;
}
