import { defineConfig } from 'drizzle-kit';

// The package owns these tables: services apply `drizzle/` (see src/migrations.ts) before their
// own migrations, which no longer contain them. After `npx drizzle-kit generate`, make the new
// SQL safe on a database that already has the objects (`if not exists`), as 0000 and 0001 are.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: './drizzle',
});
