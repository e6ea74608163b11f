import { fileURLToPath } from 'node:url';

/**
 * The http package's own migrations (`idempotency_keys`), in the shape of drizzle's
 * `MigrationConfig`: `migrate(db, httpMigrations)` applies them. They are recorded in their own
 * table beside the app's `drizzle.__drizzle_migrations`, so the package and each app number their
 * migrations independently. Apply them as the database owner, before the app's.
 */
export const httpMigrations = {
  migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
  migrationsSchema: 'drizzle',
  migrationsTable: '__warren_http_migrations',
} as const;
