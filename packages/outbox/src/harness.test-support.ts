import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres, { type Sql } from 'postgres';
import type { Database } from './database.ts';

/** A migrated database for the package's own tests, plus a table handlers write to. */
export async function openTestDatabase(url: string): Promise<{ client: Sql; db: Database; close: () => Promise<void> }> {
  const client = postgres(url, { onnotice: () => {}, max: 10 });
  const db = drizzle(client);
  await migrate(db, { migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)) });
  await client`create table if not exists applied (message_id uuid not null, handler text not null, subject text not null, seq serial primary key)`;
  return { client, db, close: () => client.end() };
}
