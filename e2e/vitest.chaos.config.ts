import { defineConfig } from 'vitest/config';
import shared from '../vitest.shared.ts';

/**
 * `npm run test:chaos`: scenarios that stop, restart or cut off the whole PostgreSQL and RabbitMQ
 * server (never part of `npm test`, whose workspaces share those servers). One file at a time.
 */
export default defineConfig({
  ...shared,
  test: {
    ...shared.test,
    include: ['src/chaos/**/*.chaos.test.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
