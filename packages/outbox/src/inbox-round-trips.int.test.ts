import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';
import { countedPostgres } from '@warren/testing';
import { delivery, openTestDatabase, type OutboxTestDatabase } from './harness.test-support.ts';
import { inbox, type Database } from './index.ts';
// As every service does at start-up: a statement the connection has not prepared yet costs a round
// trip of its own to describe it.
import { prepareDrizzleStatements } from './prepared-statements.ts';

// On a machine where every socket write is expensive, a batch's cost is its writes to PostgreSQL.
describe('inbox round trips', () => {
  let database: OutboxTestDatabase;
  /** The socket writes of the one connection the inbox uses. */
  let writes: Buffer[] = [];
  let client: postgres.Sql;
  let db: Database;

  beforeAll(async () => {
    prepareDrizzleStatements();
    database = await openTestDatabase();
    ({ sql: client, writes } = countedPostgres(database.url));
    db = drizzle(client);
  });
  afterAll(async () => {
    await client.end();
    await database.close();
  });

  /**
   * Holds the inbox in a transaction of its own while `size` deliveries of distinct subjects
   * queue up behind it, then lets them go: returns the socket writes of their one transaction.
   */
  async function batchWrites(options: { handler: string; concurrentSubjects: boolean }, sizes: readonly number[]): Promise<number[]> {
    let entered = false;
    let release = () => {};
    const handle = inbox(db, options, async (message, tx) => {
      if (message.envelope.subject !== 'blocker') {
        await tx.execute(sql`insert into applied (message_id, handler, subject) values (${message.envelope.id}, ${options.handler}, ${message.envelope.subject})`);
        return;
      }
      await new Promise<void>((resolve) => {
        entered = true;
        release = resolve;
      });
    });
    const counts: number[] = [];
    for (const size of sizes) {
      entered = false;
      const blocked = handle(delivery('blocker'));
      await expect.poll(() => entered).toBe(true);
      const batch = Array.from({ length: size }, () => handle(delivery()));
      writes.length = 0;
      release();
      const outcomes = await Promise.all([blocked, ...batch]);
      expect(outcomes).toEqual(Array.from({ length: size + 1 }, () => 'applied'));
      // The first write after the release is the blocker's COMMIT.
      counts.push(writes.length - 1);
    }
    const [row] = await database.client<{ count: string }[]>`select count(*) from applied where handler = ${options.handler}`;
    expect(row?.count).toBe(String(sizes.reduce((sum, size) => sum + size, 0)));
    return counts;
  }

  // The first batch prepares the statements on the connection; the others run as in the steady state.
  it('writes 3 times for a batch of distinct subjects whatever its size: BEGIN with the inbox rows, every handler, COMMIT', async () => {
    const [, five, three] = await batchWrites({ handler: 'concurrent', concurrentSubjects: true }, [5, 5, 3]);
    expect(five).toBe(3);
    // The inbox insert is one statement for every batch size: a new size is not prepared again.
    expect(three).toBe(3);
  });

  it('writes once more per handler when the subjects are applied one after the other (the default)', async () => {
    const [, five] = await batchWrites({ handler: 'in-turn', concurrentSubjects: false }, [5, 5]);
    expect(five).toBe(5 + 2);
  });
});
