import { readFile } from 'node:fs/promises';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres, { type Sql } from 'postgres';
import type { Logger } from '@warren/telemetry';
import { databaseTarget, onDatabase } from './database-url.ts';

const quiet = { onnotice: () => {}, max: 1 } as const;

/**
 * Local development: creates the service's runtime role, its owner role and its database when
 * missing, using an admin connection. The owner (`<role>_owner`) owns the database and its
 * tables; the runtime role only gets DML on them. Same model as infra/postgres for deployments.
 * Idempotent; safe when several instances start at once (an existing object is left alone).
 */
export async function provisionDatabase(adminUrl: string, databaseUrl: string, logger: Logger): Promise<void> {
  const { database, role } = databaseTarget(databaseUrl);
  const owner = `${role}_owner`;
  const admin = postgres(adminUrl, quiet);
  try {
    await admin`select pg_advisory_lock(hashtext(${`warren:provision:${database}`}))`;
    for (const name of [owner, role]) {
      const [exists] = await admin`select 1 from pg_roles where rolname = ${name}`;
      if (!exists) {
        await admin.unsafe(`create role "${name}" ${name === owner ? 'nologin' : 'login'}`);
        logger.info({ role: name }, 'created database role');
      }
    }
    const [exists] = await admin`select 1 from pg_database where datname = ${database}`;
    if (!exists) {
      await admin.unsafe(`create database "${database}" owner "${owner}"`);
      logger.info({ database }, 'created database');
    }
    await admin.unsafe(`revoke all on database "${database}" from public; grant connect on database "${database}" to "${role}"`);
  } finally {
    await admin.end();
  }
  const inDatabase = postgres(onDatabase(adminUrl, database), quiet);
  try {
    await inDatabase.unsafe(`
      alter schema public owner to "${owner}";
      revoke create on schema public from public;
      grant usage on schema public to "${role}";
      create schema if not exists drizzle authorization "${owner}";
      alter schema drizzle owner to "${owner}";
      grant usage on schema drizzle to "${role}";
      alter default privileges for role "${owner}" in schema public grant select, insert, update, delete on tables to "${role}";
      alter default privileges for role "${owner}" in schema public grant usage, select on sequences to "${role}";
      alter default privileges for role "${owner}" in schema drizzle grant select on tables to "${role}";`);
  } finally {
    await inDatabase.end();
  }
}

/**
 * Applies the service's checked-in migrations as the database owner: through the admin URL with
 * `set role <owner>` (local development) or through a URL that logs in as the owner. Serialised
 * across instances by an advisory lock.
 */
export async function applyMigrations(options: { url: string; setRole?: string; migrationsFolder: string; logger: Logger }): Promise<void> {
  const client = postgres(options.url, quiet);
  try {
    await client`select pg_advisory_lock(hashtext('warren:migrate'))`;
    if (options.setRole) await client.unsafe(`set role "${options.setRole}"`);
    await migrate(drizzle(client), { migrationsFolder: options.migrationsFolder, migrationsSchema: 'drizzle' });
    options.logger.info({ folder: options.migrationsFolder }, 'migrations applied');
  } finally {
    await client.end();
  }
}

/** How many migrations the checked-in journal lists. */
export async function expectedMigrations(migrationsFolder: string): Promise<number> {
  const journal = JSON.parse(await readFile(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}

/** Throws unless every checked-in migration has been applied (a readiness check). */
export async function assertMigrated(client: Sql, expected: number): Promise<void> {
  const [row] = await client<{ count: string }[]>`select count(*) from drizzle.__drizzle_migrations`.catch((cause: unknown) => {
    throw new Error('migrations have not been applied', { cause });
  });
  const applied = Number(row?.count ?? 0);
  if (applied < expected) throw new Error(`${applied} of ${expected} migrations applied`);
}
