import { itemCreatedV1 } from './events/item-created.v1.ts';
import { itemCreatedV2 } from './events/item-created.v2.ts';
import { stockAdjustedV1 } from './events/stock-adjusted.v1.ts';

/** One service that publishes events, as data: the routing keys it sends to the events exchange. */
export interface EventProducer {
  /** The service whose outbox holds, and whose relay publishes, these events. */
  service: string;
  /** `<type>.v<version>` of every event version the service publishes. */
  publishes: readonly string[];
}

/**
 * Every publishing service and what it publishes: the send side of the topology, beside
 * `consumerQueues`. The AsyncAPI documents are derived from both; a unit test holds every event
 * definition to exactly one producer.
 */
export const eventProducers = [
  // item.created v1 only during the migration window to v2 (catalog's ITEM_CREATED_VERSIONS).
  { service: 'catalog', publishes: [itemCreatedV1.routingKey, itemCreatedV2.routingKey] },
  { service: 'inventory', publishes: [stockAdjustedV1.routingKey] },
] as const satisfies readonly EventProducer[];

/** The routing keys `service` publishes; empty for a service that publishes nothing. */
export function publishedBy(service: string): readonly string[] {
  return eventProducers.find((producer) => producer.service === service)?.publishes ?? [];
}
