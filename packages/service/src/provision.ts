import { readFile } from 'node:fs/promises';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres, { type Sql } from 'postgres';
import { httpMigrations } from '@warren/http';
import { outboxMigrations } from '@warren/outbox';
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

/** One folder of drizzle migrations and the table that records which of them have run. */
export interface MigrationSet {
  migrationsFolder: string;
  migrationsSchema: string;
  migrationsTable: string;
}

/**
 * A service's migrations in the order they apply: the tables the packages own (outbox and inbox,
 * then idempotency keys), each package with its own migrations table, then the app's own tables,
 * recorded in drizzle's default `drizzle.__drizzle_migrations` as they always were.
 */
export function serviceMigrations(appMigrationsFolder: string): MigrationSet[] {
  return [
    outboxMigrations,
    httpMigrations,
    { migrationsFolder: appMigrationsFolder, migrationsSchema: 'drizzle', migrationsTable: '__drizzle_migrations' },
  ];
}

/**
 * Applies the service's checked-in migrations (`serviceMigrations`, in order) as the database
 * owner: through the admin URL with `set role <owner>` (local development) or through a URL that
 * logs in as the owner. Serialised across instances by an advisory lock.
 */
export async function applyMigrations(options: { url: string; setRole?: string; migrationsFolder: string; logger: Logger }): Promise<void> {
  const client = postgres(options.url, quiet);
  try {
    await client`select pg_advisory_lock(hashtext('warren:migrate'))`;
    if (options.setRole) await client.unsafe(`set role "${options.setRole}"`);
    for (const set of serviceMigrations(options.migrationsFolder)) {
      await migrate(drizzle(client), set);
      options.logger.info({ folder: set.migrationsFolder, table: set.migrationsTable }, 'migrations applied');
    }
  } finally {
    await client.end();
  }
}

/** How many migrations a service's database must have applied, per migrations table. */
export interface ExpectedMigrations {
  migrationsSchema: string;
  migrationsTable: string;
  count: number;
}

/** How many migrations each checked-in journal of `serviceMigrations` lists. */
export async function expectedMigrations(migrationsFolder: string): Promise<ExpectedMigrations[]> {
  return Promise.all(
    serviceMigrations(migrationsFolder).map(async ({ migrationsFolder: folder, migrationsSchema, migrationsTable }) => {
      const journal = JSON.parse(await readFile(`${folder}/meta/_journal.json`, 'utf8')) as { entries: unknown[] };
      return { migrationsSchema, migrationsTable, count: journal.entries.length };
    }),
  );
}

/** Throws unless every checked-in migration of every set has been applied (a readiness check). */
export async function assertMigrated(client: Sql, expected: readonly ExpectedMigrations[]): Promise<void> {
  for (const { migrationsSchema, migrationsTable, count } of expected) {
    const table = `${migrationsSchema}.${migrationsTable}`;
    const [row] = await client<{ count: string }[]>`select count(*) from ${client(migrationsSchema)}.${client(migrationsTable)}`.catch((cause: unknown) => {
      throw new Error(`migrations have not been applied (${table})`, { cause });
    });
    const applied = Number(row?.count ?? 0);
    if (applied < count) throw new Error(`${table}: ${applied} of ${count} migrations applied`);
  }
}
