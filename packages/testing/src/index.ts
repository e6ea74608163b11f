export { createTestDatabase, withDatabase } from './database.ts';
export type { TestDatabase } from './database.ts';
export { createTestVhost, queueMessageCount } from './vhost.ts';
export type { TestVhost } from './vhost.ts';
export { waitFor } from './wait-for.ts';
export type { WaitForOptions } from './wait-for.ts';
export { infrastructure } from './provided.ts';
export type { TestInfrastructure } from './infrastructure.ts';
