import type { ConsumerDefinition } from '@warren/messaging';
import type { Database } from '@warren/outbox';
import type { Failpoint } from '@warren/telemetry/failpoint';
import { itemCreatedConsumer } from './handlers/item-created.ts';

/**
 * Every consumer the inventory process runs. Their queues and bindings must match the inventory entries
 * of `consumerQueues` in @warren/contracts (checked by consumers.unit.test.ts).
 */
export function inventoryConsumers(deps: { db: Database; faults?: { failpoint?: Failpoint }; config?: { ITEM_CREATED_VERSIONS: readonly number[] } }): ConsumerDefinition[] {
  const { config, ...rest } = deps;
  return [itemCreatedConsumer({ ...rest, ...(config ? { versions: config.ITEM_CREATED_VERSIONS } : {}) })];
}
