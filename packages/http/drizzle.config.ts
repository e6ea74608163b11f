import { defineConfig } from 'drizzle-kit';

// Only for this package's own integration tests: apps re-export the table and migrate it themselves.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: './drizzle',
});
