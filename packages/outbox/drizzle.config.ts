import { defineConfig } from 'drizzle-kit';

// Migrations for this package's own integration tests; services generate theirs from their
// own schema, which includes these tables.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: './drizzle',
});
