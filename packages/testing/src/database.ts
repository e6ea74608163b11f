import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { infrastructure } from './provided.ts';

/** A database made for one test file; `drop()` removes it. */
export interface TestDatabase {
  name: string;
  /** URL of the new database, connecting as the server's admin user. */
  url: string;
  /** Admin URL of the server (the `postgres` database), for creating roles and databases. */
  adminUrl: string;
  drop(): Promise<void>;
}

/** Swaps the database name (and optionally the user) in a PostgreSQL URL. */
export function withDatabase(url: string, database: string, user?: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  if (user !== undefined) {
    parsed.username = user;
    parsed.password = '';
  }
  return parsed.toString();
}

/** Creates a fresh, empty database on the run's PostgreSQL server (milliseconds, not seconds). */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const { databaseUrl } = infrastructure();
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(databaseUrl, name),
    adminUrl: databaseUrl,
    drop: async () => {
      const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await sql.end();
      }
    },
  };
}
