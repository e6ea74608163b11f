import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres, { type Sql } from 'postgres';
import { createTestDatabase } from '@warren/testing';
import type { Database } from './database.ts';
import { outboxMigrations } from './migrations.ts';

/** A fresh, migrated database for one test file, plus a table handlers write to. */
export interface OutboxTestDatabase {
  url: string;
  client: Sql;
  db: Database;
  /** Ends the connections and drops the database. */
  close: () => Promise<void>;
}

/** Creates and migrates a database for the package's own tests. */
export async function openTestDatabase(): Promise<OutboxTestDatabase> {
  const database = await createTestDatabase();
  const client = postgres(database.url, { onnotice: () => {}, max: 10 });
  const db = drizzle(client);
  await migrate(db, outboxMigrations);
  await client`create table if not exists applied (message_id uuid not null, handler text not null, subject text not null, seq serial primary key)`;
  return {
    url: database.url,
    client,
    db,
    close: async () => {
      await client.end();
      await database.drop();
    },
  };
}
