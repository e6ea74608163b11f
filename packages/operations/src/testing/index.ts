export { brokerDeadLetter, declareQueues, itemCreated, park, readyIds } from './parked-fixtures.ts';
export type { ParkOptions } from './parked-fixtures.ts';
export { insertOutboxRows, migrateOutbox } from './outbox-rows.ts';
export type { OutboxRow } from './outbox-rows.ts';
