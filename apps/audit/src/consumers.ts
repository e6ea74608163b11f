import type { ConsumerDefinition } from '@warren/messaging';
import type { Database } from '@warren/outbox';
import type { Failpoint } from '@warren/telemetry/failpoint';
import { eventLogConsumer } from './handlers/event-log.ts';

/**
 * Every consumer the audit process runs. Their queues and bindings must match the audit entries
 * of `consumerQueues` in @warren/contracts (checked by consumers.unit.test.ts).
 */
export function auditConsumers(deps: { db: Database; faults?: { failpoint?: Failpoint } }): ConsumerDefinition[] {
  return [eventLogConsumer(deps)];
}
