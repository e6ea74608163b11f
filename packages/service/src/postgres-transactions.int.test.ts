import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type postgres from 'postgres';
import { countedPostgres, createTestDatabase, type TestDatabase } from '@warren/testing';

// What patches/postgres+3.4.9.patch changes in transactions: BEGIN is not a round trip of its
// own, and a statement pipelined with the COMMIT (sent, not awaited) still fails the transaction.
describe('postgres.js transactions, as patched', () => {
  let database: TestDatabase;
  /** The socket writes of the one connection, in order. */
  let writes: Buffer[] = [];
  let client: postgres.Sql;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ sql: client, writes } = countedPostgres(database.url));
    await client`create table taken (id int primary key)`;
    await client`insert into taken values (1)`;
  });
  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  it('sends BEGIN in the same write as the first statement: two writes for a one-statement transaction', async () => {
    writes.length = 0;
    const [row] = await client.begin(async (tx) => tx<{ one: number }[]>`select 1::int as one`);
    expect(row).toEqual({ one: 1 });
    const texts = writes.map((chunk) => chunk.toString('latin1'));
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain('begin');
    expect(texts[0]).toContain('select 1::int as one');
    expect(texts[1]).toContain('commit');
  });

  it('sends a tick’s messages in one write past 1 KiB: BEGIN, a 3 KB statement and a second one together', async () => {
    const padding = 'x'.repeat(3_000);
    const run = () => client.begin((tx) => [tx<{ length: number }[]>`select length(${padding}::text)::int as length`, tx<{ two: number }[]>`select 2::int as two`]);
    // The first run prepares the statement with a parameter (a round trip of its own); count the second.
    await run();
    writes.length = 0;
    const [long, short] = await run();
    expect(long?.[0]).toEqual({ length: 3_000 });
    expect(short?.[0]).toEqual({ two: 2 });
    // Both statements are prepared by now, so they travel by name: one write for BEGIN and both,
    // one for the COMMIT (before the change, the 3 KB statement went out alone past 1 KiB).
    expect(writes).toHaveLength(2);
    expect(writes[0]!.length).toBeGreaterThan(3_000);
    expect(writes[0]!.toString('latin1')).toContain('begin');
  });

  it('fails the transaction, with the statement’s own error, when a statement sent with the COMMIT fails', async () => {
    const attempt = client.begin(async (tx) => {
      await tx`insert into taken values (2)`;
      // Sent and not awaited: it travels with the COMMIT, which PostgreSQL then answers with ROLLBACK.
      void tx`insert into taken values (1)`.execute();
    });
    await expect(attempt).rejects.toMatchObject({ code: '23505' });
    expect(await client`select id from taken order by id`).toEqual([{ id: 1 }]);
  });

  it('still rolls back a transaction whose callback throws, and commits one that returns', async () => {
    await expect(
      client.begin(async (tx) => {
        await tx`insert into taken values (3)`;
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await client.begin((tx) => tx`insert into taken values (4)`);
    expect(await client`select id from taken order by id`).toEqual([{ id: 1 }, { id: 4 }]);
  });
});
