import type { ConsumerDefinition } from '@warren/messaging';
import type { Database } from '@warren/outbox';
import type { Failpoint } from '@warren/telemetry/failpoint';
import { itemCreatedConsumer } from './handlers/item-created.ts';

/**
 * Every consumer the inventory process runs. Their queues and bindings must match the inventory entries
 * of `consumerQueues` in @warren/contracts (checked by consumers.unit.test.ts).
 */
export function inventoryConsumers(deps: { db: Database; faults?: { failpoint?: Failpoint } }): ConsumerDefinition[] {
  return [itemCreatedConsumer(deps)];
}
