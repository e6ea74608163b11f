import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** One vitest configuration for every workspace: tests beside the code, one server pair per run. */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: [fileURLToPath(new URL('./packages/testing/src/global-setup.ts', import.meta.url))],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Every process a test starts inherits this: a developer's `.env` must not change what the
    // tests exercise (the one test of `.env` itself sets it back).
    env: { WARREN_DOTENV: 'false' },
    // zod's prototype is extended with .openapi() by @hono/zod-openapi: the workspace sources
    // (transformed by vite) and that package must share one zod instance.
    server: { deps: { inline: ['@hono/zod-openapi', '@asteasolutions/zod-to-openapi', '@hono/zod-validator'] } },
  },
});
