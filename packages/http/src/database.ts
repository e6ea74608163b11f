import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgTransaction } from 'drizzle-orm/pg-core';
import type { PostgresJsDatabase, PostgresJsQueryResultHKT } from 'drizzle-orm/postgres-js';

/** Any drizzle database on postgres.js, whatever schema the app gave it. */
export type Database<TSchema extends Record<string, unknown> = Record<string, unknown>> = PostgresJsDatabase<TSchema>;

/** The transaction `db.transaction()` hands out for such a database: usable in any drizzle query. */
export type Transaction<TSchema extends Record<string, unknown> = Record<string, unknown>> = PgTransaction<
  PostgresJsQueryResultHKT,
  TSchema,
  ExtractTablesWithRelations<TSchema>
>;

/** Either of the above: what a function needs when it can run inside or outside a transaction. */
export type Queryable<TSchema extends Record<string, unknown> = Record<string, unknown>> = PgDatabase<
  PostgresJsQueryResultHKT,
  TSchema,
  ExtractTablesWithRelations<TSchema>
>;
