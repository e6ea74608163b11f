import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemCreatedV1 } from '@warren/contracts';
import { openTestDatabase, type OutboxTestDatabase } from './harness.test-support.ts';
import { createOutbox, wakeOnCommit, type NewEvent } from './index.ts';

const outbox = createOutbox({ sourceService: 'catalog' });

function itemEvent(): NewEvent<typeof itemCreatedV1> {
  const id = crypto.randomUUID();
  return {
    definition: itemCreatedV1,
    subject: id,
    data: { id, name: 'Lamp', sku: `SKU-${id.slice(0, 8)}`, priceCents: 1, createdAt: new Date().toISOString() },
    cause: { correlationId: 'corr' },
  };
}

describe('wakeOnCommit (PostgreSQL only)', () => {
  let database: OutboxTestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  it('calls back once a transaction that added events has committed, and for nothing else', async () => {
    const commits: number[] = [];
    const db = wakeOnCommit(database.db, outbox, () => void commits.push(commits.length));
    const pending = async () => Number((await database.client<{ count: string }[]>`select count(*) from outbox_messages where published_at is null`)[0]?.count);
    const before = await pending();

    await db.transaction(async (tx) => {
      await outbox.add(tx, itemEvent());
      await outbox.add(tx, itemEvent());
    });
    expect(commits).toHaveLength(1);
    expect(await pending()).toBe(before + 2);

    await expect(
      db.transaction(async (tx) => {
        await outbox.add(tx, itemEvent());
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    await db.transaction(async (tx) => {
      await tx.execute(sql`select 1`);
    });
    expect(commits).toHaveLength(1);
    expect(await pending()).toBe(before + 2);

    // The callback runs after the commit: the row is visible to every other session by then.
    const visible = Promise.withResolvers<number>();
    const checking = wakeOnCommit(database.db, outbox, () => void pending().then(visible.resolve, visible.reject));
    await checking.transaction((tx) => outbox.add(tx, itemEvent()));
    expect(await visible.promise).toBe(before + 3);
  });
});
