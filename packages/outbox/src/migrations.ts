import { fileURLToPath } from 'node:url';

/**
 * The outbox package's own migrations (`outbox_messages`, `inbox_messages`), in the shape of
 * drizzle's `MigrationConfig`: `migrate(db, outboxMigrations)` applies them. They are recorded in
 * their own table beside the app's `drizzle.__drizzle_migrations`, so the package and each app
 * number their migrations independently. Apply them as the database owner, before the app's.
 */
export const outboxMigrations = {
  migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
  migrationsSchema: 'drizzle',
  migrationsTable: '__warren_outbox_migrations',
} as const;
