import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createLogger } from '@warren/telemetry';
import { infrastructure, withDatabase } from '@warren/testing';
import { applyMigrations, assertMigrated, expectedMigrations, provisionDatabase } from './provision.ts';

const logger = createLogger({ service: 'provision-test', level: 'silent' });
const suffix = crypto.randomUUID().replaceAll('-', '').slice(0, 8);
const role = `prov_${suffix}`;
const migrations = fileURLToPath(new URL('../../../apps/catalog/src/db/migrations', import.meta.url));

describe('database provisioning', () => {
  const { databaseUrl: adminUrl } = infrastructure();
  const runtimeUrl = withDatabase(adminUrl, role, role);

  afterAll(async () => {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${role}" with (force)`);
    await admin.unsafe(`drop role if exists "${role}"`);
    await admin.unsafe(`drop role if exists "${role}_owner"`);
    await admin.end();
  });

  it('creates the roles and database, migrates as the owner, and leaves the runtime role DML only', async () => {
    await provisionDatabase(adminUrl, runtimeUrl, logger);
    await provisionDatabase(adminUrl, runtimeUrl, logger);
    await applyMigrations({ url: withDatabase(adminUrl, role), setRole: `${role}_owner`, migrationsFolder: migrations, logger });

    const runtime = postgres(runtimeUrl, { max: 1, onnotice: () => {} });
    try {
      await assertMigrated(runtime, await expectedMigrations(migrations));
      const owners = await runtime<{ tablename: string; tableowner: string }[]>`
        select tablename, tableowner from pg_tables where schemaname in ('public', 'drizzle') order by tablename`;
      expect(owners).toEqual(
        ['__drizzle_migrations', '__warren_http_migrations', '__warren_outbox_migrations', 'idempotency_keys', 'inbox_messages', 'items', 'outbox_messages'].map(
          (tablename) => ({ tablename, tableowner: `${role}_owner` }),
        ),
      );
      await runtime`insert into idempotency_keys (caller, key, method, path, fingerprint, state, lease_token, locked_until)
        values ('c', 'k', 'POST', '/', 'f', 'in_flight', ${crypto.randomUUID()}, now())`;
      await runtime`delete from idempotency_keys`;
      await expect(runtime`delete from drizzle.__warren_http_migrations`).rejects.toThrow(/permission denied/);
      await runtime`insert into inbox_messages (message_id, handler) values (${crypto.randomUUID()}, 'h')`;
      await runtime`delete from inbox_messages`;
      await expect(runtime`create table sneaky (id int)`).rejects.toThrow(/permission denied/);
      await expect(runtime`drop table inbox_messages`).rejects.toThrow(/must be owner/);
    } finally {
      await runtime.end();
    }
  });

  it('fails readiness while migrations are missing', async () => {
    const runtime = postgres(runtimeUrl, { max: 1, onnotice: () => {} });
    try {
      const expected = await expectedMigrations(migrations);
      const [outbox, ...others] = expected;
      const ahead = { ...outbox!, count: outbox!.count + 1 };
      await expect(assertMigrated(runtime, [...others, ahead])).rejects.toThrow(
        `drizzle.__warren_outbox_migrations: ${outbox!.count} of ${ahead.count} migrations applied`,
      );
    } finally {
      await runtime.end();
    }
  });
});
