import { sql } from 'drizzle-orm';
import { consumerQueue, itemCreatedV1, itemCreatedV2, type EventData } from '@warren/contracts';
import type { ConsumerDefinition } from '@warren/messaging';
import { inbox, type Database } from '@warren/outbox';
import type { Failpoint } from '@warren/telemetry/failpoint';

/** The queue and bindings come from the topology declared in @warren/contracts. */
const declared = consumerQueue('inventory.item-created');
export const itemCreatedQueue = declared.queue;

const definitions = [itemCreatedV1, itemCreatedV2] as const;

export interface ItemCreatedOptions {
  db: Database;
  faults?: { failpoint?: Failpoint };
  /**
   * The item.created versions the queue is bound to (`ITEM_CREATED_VERSIONS`); the newest is
   * handled, older ones arrive upcast to it. Default: every declared binding, handled at v2.
   */
  versions?: readonly number[];
}

/**
 * Opens stock at 0 for every new catalog item, once per event id: an item published in v1 and v2
 * (catalog's migration window) shares one id, so it is applied once whichever copy comes first.
 */
export function itemCreatedConsumer({ db, faults, versions = [1, 2] }: ItemCreatedOptions): ConsumerDefinition {
  const newest = Math.max(...versions);
  const handled = definitions.find((definition) => definition.version === newest);
  if (!handled) throw new Error(`inventory cannot handle item.created v${newest}`);
  const bound = new Set<string>(definitions.filter((definition) => versions.includes(definition.version)).map((definition) => definition.routingKey));
  return {
    queue: itemCreatedQueue,
    events: [handled],
    bindings: declared.bindings.filter((key) => bound.has(key)),
    handle: inbox<EventData<typeof itemCreatedV2> | EventData<typeof itemCreatedV1>>(
      db,
      // One insert per event, reading nothing: items of different subjects may be opened side by side.
      { handler: itemCreatedQueue, concurrentSubjects: true, ...(faults?.failpoint ? { failpoint: faults.failpoint } : {}) },
      async (message, tx) => {
        const item = message.envelope.data;
        // Written as SQL, not built per event: this runs for every item created.
        await tx.execute(sql`insert into stock (item_id, sku, on_hand) values (${item.id}::uuid, ${item.sku}::text, 0) on conflict do nothing`);
      },
    ),
  };
}
