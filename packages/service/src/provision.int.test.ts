import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createLogger } from '@warren/telemetry';
import { infrastructure, withDatabase } from '@warren/testing';
import { applyMigrations, assertMigrated, expectedMigrations, provisionDatabase } from './provision.ts';

const logger = createLogger({ service: 'provision-test', level: 'silent' });
const suffix = crypto.randomUUID().replaceAll('-', '').slice(0, 8);
const role = `prov_${suffix}`;
const migrations = fileURLToPath(new URL('../../outbox/drizzle', import.meta.url));

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
      const [owner] = await runtime<{ tableowner: string }[]>`select tableowner from pg_tables where tablename = 'outbox_messages'`;
      expect(owner?.tableowner).toBe(`${role}_owner`);
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
      const expected = (await expectedMigrations(migrations)) + 1;
      await expect(assertMigrated(runtime, expected)).rejects.toThrow(`${expected - 1} of ${expected} migrations applied`);
    } finally {
      await runtime.end();
    }
  });
});
