import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgTransaction } from 'drizzle-orm/pg-core';
import type { PostgresJsQueryResultHKT } from 'drizzle-orm/postgres-js';

type AnySchema = Record<string, unknown>;

/**
 * Any drizzle database on postgres.js, whatever its schema. The one definition for Warren's
 * packages: `@warren/http` takes it too, since the stored idempotent response commits in the same
 * transaction as `outbox.add`.
 */
export type Database = PgDatabase<PostgresJsQueryResultHKT, AnySchema, ExtractTablesWithRelations<AnySchema>>;

/** A transaction of such a database: what `outbox.add` and inbox handlers receive. */
export type Transaction = PgTransaction<PostgresJsQueryResultHKT, AnySchema, ExtractTablesWithRelations<AnySchema>>;
