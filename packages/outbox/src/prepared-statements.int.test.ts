import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { createTestDatabase, type TestDatabase } from '@warren/testing';
import { prepareDrizzleStatements } from './prepared-statements.ts';

describe('prepared drizzle statements', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('runs drizzle queries as prepared statements PostgreSQL keeps for the connection', async () => {
    prepareDrizzleStatements();
    const client = postgres(database.url, { max: 1, onnotice: () => {} });
    try {
      const db = drizzle(client);
      const marker = `warren_prepared_${crypto.randomUUID().slice(0, 8)}`;
      const first = await db.execute(sql`select ${marker}::text as marker`);
      await db.execute(sql`select ${marker}::text as marker`);
      expect(first[0]).toEqual({ marker });
      const pattern = '%::text as marker%';
      const prepared = await client<{ count: string }[]>`select count(*) from pg_prepared_statements where statement like ${pattern}`;
      expect(prepared[0]?.count).toBe('1');
    } finally {
      await client.end();
    }
  });
});
