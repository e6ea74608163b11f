import { itemCreatedV1 } from './events/item-created.v1.ts';
import { itemCreatedV2 } from './events/item-created.v2.ts';

/** One consumer queue of Warren's topology, as data: who reads it and what is bound to it. */
export interface ConsumerQueue {
  /** `<service>.<handler>`, e.g. `inventory.item-created`. */
  queue: string;
  /** The service whose process consumes the queue. */
  service: string;
  /** Routing keys bound from the events exchange (`#` for every event). */
  bindings: readonly string[];
}

/**
 * Every consumer queue the services declare. The apps take their queue names and bindings from
 * here, and operator tools (`warren dlq list`) find the `<queue>.dlq` queues from it without a
 * broker API that can list queues.
 */
export const consumerQueues = [
  // Bound to v1 as long as v1 may still arrive (dual publishing, replays of the archive): the
  // consumer reads it upcast to v2.
  { queue: 'inventory.item-created', service: 'inventory', bindings: [itemCreatedV1.routingKey, itemCreatedV2.routingKey] },
  { queue: 'audit.event-log', service: 'audit', bindings: ['#'] },
] as const satisfies readonly ConsumerQueue[];

export type ConsumerQueueName = (typeof consumerQueues)[number]['queue'];

/** The declaration of `queue`; throws when Warren declares no such consumer queue. */
export function consumerQueue(queue: ConsumerQueueName): ConsumerQueue {
  const found = consumerQueues.find((declared) => declared.queue === queue);
  if (!found) throw new Error(`no consumer queue ${queue} is declared in @warren/contracts`);
  return found;
}

/** The dead-letter queue of a consumer queue: `<queue>.dlq`. */
export function deadLetterQueueOf(queue: string): string {
  return `${queue}.dlq`;
}
