import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from 'postgres';
import { openTestDatabase } from './harness.test-support.ts';
import { pruneInbox, pruneOutbox, type Database } from './index.ts';

const hour = 3_600_000;

describe('retention', () => {
  let client: Sql;
  let db: Database;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ client, db, close } = await openTestDatabase());
  });
  afterAll(async () => {
    await close();
  });

  async function outboxRow(label: string, publishedHoursAgo: number | null, createdHoursAgo = 200): Promise<void> {
    await client`
      insert into outbox_messages (id, type, version, routing_key, subject, envelope, headers, created_at, published_at)
      values (${crypto.randomUUID()}, 'item.created', 1, 'item.created.v1', ${label}, '{}'::jsonb, '{}'::jsonb,
              now() - ${createdHoursAgo} * interval '1 hour',
              case when ${publishedHoursAgo}::int is null then null else now() - ${publishedHoursAgo}::int * interval '1 hour' end)`;
  }

  it('prunes published outbox rows past the archive window and never a pending one, however old', async () => {
    await outboxRow('old-published', 170);
    await outboxRow('recent-published', 10);
    await outboxRow('old-pending', null, 500);
    expect(await pruneOutbox(db, 168 * hour)).toBe(1);
    const left = await client<{ subject: string }[]>`select subject from outbox_messages order by subject`;
    expect(left.map((row) => row.subject)).toEqual(['old-pending', 'recent-published']);
  });

  it('prunes inbox rows past their window only', async () => {
    await client`insert into inbox_messages (message_id, handler, received_at) values
      (${crypto.randomUUID()}, 'h', now() - interval '800 hours'), (${crypto.randomUUID()}, 'h', now() - interval '100 hours')`;
    expect(await pruneInbox(db, 720 * hour)).toBe(1);
    const [row] = await client<{ count: string }[]>`select count(*) from inbox_messages`;
    expect(row?.count).toBe('1');
  });
});
