import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres, { type Sql } from 'postgres';
import { idempotencyKeys } from '@warren/http/schema';
import { inboxMessages, outboxMessages } from '@warren/outbox';
import { createLogger } from '@warren/telemetry';
import { createTestDatabase, type TestDatabase } from '@warren/testing';
import { applyMigrations, assertMigrated, expectedMigrations } from './provision.ts';

// The apps' migration folders, by path: this package cannot depend on the apps, and the layout
// of every service's database is what is under test.
const appMigrations = (app: string) => fileURLToPath(new URL(`../../../apps/${app}/src/db/migrations`, import.meta.url));
// Catalog's migrations as they were while every app created the package tables itself.
const catalogBefore = fileURLToPath(new URL('../test/fixtures/catalog-migrations-before-package-tables', import.meta.url));
const logger = createLogger({ service: 'migrations-test', level: 'silent' });
const packageTables = [outboxMessages, inboxMessages, idempotencyKeys].map((table) => getTableConfig(table));

const open: { database: TestDatabase; sql: Sql }[] = [];
async function freshDatabase(): Promise<{ url: string; sql: Sql }> {
  const database = await createTestDatabase('migrations');
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  open.push({ database, sql });
  return { url: database.url, sql };
}
afterEach(async () => {
  for (const { database, sql } of open.splice(0)) {
    await sql.end();
    await database.drop();
  }
});

/** Columns, indexes and constraints of the `public` schema: what two databases must share. */
async function layout(sql: Sql) {
  const columns = await sql`
    select table_name, column_name, data_type, is_nullable, column_default
    from information_schema.columns where table_schema = 'public' order by table_name, column_name`;
  const indexes = await sql`select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' order by indexname`;
  const constraints = await sql`
    select conrelid::regclass::text as table_name, conname, pg_get_constraintdef(oid) as definition
    from pg_constraint where connamespace = 'public'::regnamespace order by conname`;
  return { columns: [...columns], indexes: [...indexes], constraints: [...constraints] };
}

describe('service migrations', () => {
  it.each(['catalog', 'inventory', 'audit'])('gives a fresh %s database each package table once, with its columns and indexes', async (app) => {
    const { url, sql } = await freshDatabase();
    await applyMigrations({ url, migrationsFolder: appMigrations(app), logger });
    await applyMigrations({ url, migrationsFolder: appMigrations(app), logger });

    await assertMigrated(sql, await expectedMigrations(appMigrations(app)));
    for (const table of packageTables) {
      const places = await sql`select table_schema from information_schema.tables where table_name = ${table.name}`;
      expect(places, table.name).toEqual([{ table_schema: 'public' }]);
      const columns = await sql<{ column_name: string }[]>`
        select column_name from information_schema.columns where table_name = ${table.name} order by column_name`;
      expect(columns.map((column) => column.column_name)).toEqual(table.columns.map((column) => column.name).sort());
      const indexes = await sql<{ indexname: string }[]>`select indexname from pg_indexes where tablename = ${table.name}`;
      expect(indexes.map((index) => index.indexname)).toEqual(expect.arrayContaining(table.indexes.map((index) => index.config.name)));
    }
    const applied = await sql`
      select (select count(*)::int from drizzle.__warren_outbox_migrations) as outbox,
             (select count(*)::int from drizzle.__warren_http_migrations) as http`;
    expect(applied).toEqual([{ outbox: 2, http: 1 }]);
  });

  it('takes over a database migrated while the app created the package tables, keeping its rows', async () => {
    const fresh = await freshDatabase();
    await applyMigrations({ url: fresh.url, migrationsFolder: appMigrations('catalog'), logger });
    const { url, sql } = await freshDatabase();
    await migrate(drizzle(sql), { migrationsFolder: catalogBefore, migrationsSchema: 'drizzle' });
    await insertRows(sql);

    await applyMigrations({ url, migrationsFolder: appMigrations('catalog'), logger });

    expect(await layout(sql)).toEqual(await layout(fresh.sql));
    await assertMigrated(sql, await expectedMigrations(appMigrations('catalog')));
    expect(await rowCounts(sql)).toEqual([{ items: 1, outbox: 1, inbox: 1, keys: 1 }]);
    // The two entries the old layout applied are not re-run: one row each, plus one per later migration.
    const appJournal = (await expectedMigrations(appMigrations('catalog'))).find((migrations) => migrations.migrationsTable === '__drizzle_migrations');
    expect(await sql`select count(*)::int as count from drizzle.__drizzle_migrations`).toEqual([{ count: appJournal?.count }]);
    expect(appJournal?.count).toBeGreaterThanOrEqual(2);
  });

  it('completes a database the old layout left at its first migration', async () => {
    const fresh = await freshDatabase();
    await applyMigrations({ url: fresh.url, migrationsFolder: appMigrations('catalog'), logger });
    const { url, sql } = await freshDatabase();
    await migrate(drizzle(sql), { migrationsFolder: catalogBefore, migrationsSchema: 'drizzle' });
    // Undo 0001_published_at_index, as on a database deployed before it existed.
    await sql`drop index outbox_messages_published_idx`;
    await sql`delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`;
    await insertRows(sql);

    await applyMigrations({ url, migrationsFolder: appMigrations('catalog'), logger });

    expect(await layout(sql)).toEqual(await layout(fresh.sql));
    await assertMigrated(sql, await expectedMigrations(appMigrations('catalog')));
    expect(await rowCounts(sql)).toEqual([{ items: 1, outbox: 1, inbox: 1, keys: 1 }]);
  });
});

async function insertRows(sql: Sql): Promise<void> {
  await sql`insert into items (id, name, sku, price_cents, created_at) values (${crypto.randomUUID()}, 'Kettle', 'K-1', 2500, now())`;
  await sql`insert into outbox_messages (id, type, version, routing_key, subject, envelope, headers)
    values (${crypto.randomUUID()}, 'item.created', 1, 'item.created.v1', 's', '{}', '{}')`;
  await sql`insert into inbox_messages (message_id, handler) values (${crypto.randomUUID()}, 'h')`;
  await sql`insert into idempotency_keys (caller, key, method, path, fingerprint, state, lease_token, locked_until)
    values ('c', 'k', 'POST', '/', 'f', 'in_flight', ${crypto.randomUUID()}, now())`;
}

function rowCounts(sql: Sql) {
  return sql`
    select (select count(*)::int from items) as items, (select count(*)::int from outbox_messages) as outbox,
           (select count(*)::int from inbox_messages) as inbox, (select count(*)::int from idempotency_keys) as keys`;
}
