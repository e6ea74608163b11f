import { consumerQueue, itemCreatedV1, type EventData } from '@warren/contracts';
import type { ConsumerDefinition } from '@warren/messaging';
import { inbox, type Database } from '@warren/outbox';
import type { Failpoint } from '@warren/telemetry/failpoint';
import { stock } from '../db/schema.ts';

/** The queue and bindings come from the topology declared in @warren/contracts. */
const declared = consumerQueue('inventory.item-created');
export const itemCreatedQueue = declared.queue;

/** Opens stock at 0 for every new catalog item, once per event. */
export function itemCreatedConsumer({ db, faults }: { db: Database; faults?: { failpoint?: Failpoint } }): ConsumerDefinition {
  return {
    queue: itemCreatedQueue,
    events: [itemCreatedV1],
    bindings: declared.bindings,
    handle: inbox<EventData<typeof itemCreatedV1>>(db, { handler: itemCreatedQueue, ...(faults?.failpoint ? { failpoint: faults.failpoint } : {}) }, async (message, tx) => {
      const item = message.envelope.data;
      await tx.insert(stock).values({ itemId: item.id, sku: item.sku, onHand: 0 }).onConflictDoNothing();
    }),
  };
}
