import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createTestDatabase, type TestDatabase } from '@warren/testing';

// What patches/postgres+3.4.9.patch changes in transactions: BEGIN is not a round trip of its
// own, and a statement pipelined with the COMMIT (sent, not awaited) still fails the transaction.
describe('postgres.js transactions, as patched', () => {
  let database: TestDatabase;
  /** The socket writes of the one connection, in order. */
  const writes: Buffer[] = [];
  let client: postgres.Sql;

  beforeAll(async () => {
    database = await createTestDatabase();
    const url = new URL(database.url);
    // postgres.js takes a `socket` factory (its README documents it) that its types leave out, so
    // the options go in as a variable rather than a literal.
    const options = {
      max: 1,
      onnotice: () => {},
      socket: async () => {
        const socket = connect(Number(url.port || 5432), url.hostname);
        await once(socket, 'connect');
        const write = socket.write.bind(socket) as (chunk: Buffer, callback?: () => void) => boolean;
        socket.write = ((chunk: Buffer, callback?: () => void) => {
          writes.push(Buffer.from(chunk));
          return write(chunk, callback);
        }) as typeof socket.write;
        return socket;
      },
    };
    client = postgres(database.url, options);
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
