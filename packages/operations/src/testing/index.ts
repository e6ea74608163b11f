export { brokerDeadLetter, declareQueues, itemCreated, park, readyIds } from './parked-fixtures.ts';
export type { ParkOptions } from './parked-fixtures.ts';
