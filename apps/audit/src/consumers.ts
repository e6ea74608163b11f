import type { ConsumerDefinition } from '@warren/messaging';
import type { Database } from '@warren/outbox';
import { eventLogConsumer } from './handlers/event-log.ts';

/**
 * Every consumer the audit process runs. Their queues and bindings must match the audit entries
 * of `consumerQueues` in @warren/contracts (checked by consumers.unit.test.ts).
 */
export function auditConsumers(deps: { db: Database }): ConsumerDefinition[] {
  return [eventLogConsumer(deps)];
}
