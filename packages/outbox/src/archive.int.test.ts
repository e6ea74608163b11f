import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from 'postgres';
import { openTestDatabase } from './harness.test-support.ts';
import { archivedEvents, countArchived, outboxFailures, readArchivePage, type ArchiveSelection } from './index.ts';

const at = (time: string) => new Date(`2025-06-01T${time}Z`);

interface Row {
  label: string;
  type?: string;
  version?: number;
  subject?: string;
  publishedAt: Date | null;
  attempts?: number;
  lastError?: string;
}

describe('the outbox archive reader', () => {
  let client: Sql;
  let close: () => Promise<void>;
  const seqOf = new Map<string, number>();

  // The harness's client is drizzle's, which leaves JSON and dates to the caller: they go in as text.
  async function insert(rows: Row[]): Promise<void> {
    for (const { label, type = 'item.created', version = 1, subject = 'item-1', publishedAt, attempts = 0, lastError = null } of rows) {
      const id = crypto.randomUUID();
      const envelope = { id, type, version, subject, label };
      const [row] = await client<{ seq: string }[]>`
        insert into outbox_messages (id, type, version, routing_key, subject, envelope, headers, created_at, published_at, attempts, last_error)
        values (${id}, ${type}, ${version}, ${`${type}.v${version}`}, ${subject}, ${JSON.stringify(envelope)}::jsonb,
                ${JSON.stringify({ correlation_id: `corr-${label}` })}::jsonb, ${at('09:00:00').toISOString()}::timestamptz, ${publishedAt?.toISOString() ?? null}::timestamptz, ${attempts}, ${lastError})
        returning seq`;
      seqOf.set(label, Number(row?.seq));
    }
  }

  const labels = (events: { message: { envelope: unknown } }[]) => events.map((event) => (event.message.envelope as { label: string }).label);
  const window: ArchiveSelection = { since: at('10:00:00'), until: at('11:00:00') };

  beforeAll(async () => {
    ({ client, close } = await openTestDatabase());
    await insert([
      { label: 'before', publishedAt: at('09:59:59.999') },
      { label: 'first', publishedAt: at('10:00:00') },
      { label: 'v2', version: 2, publishedAt: at('10:05:00') },
      { label: 'other-type', type: 'stock.adjusted', publishedAt: at('10:10:00') },
      { label: 'other-subject', subject: 'item-2', publishedAt: at('10:15:00') },
      { label: 'pending', publishedAt: null, attempts: 3, lastError: 'no queue is bound' },
      // Published later than a row with a higher seq: the archive still reads in seq order.
      { label: 'late', publishedAt: at('10:50:00') },
      { label: 'early', publishedAt: at('10:20:00') },
      { label: 'at-until', publishedAt: at('11:00:00') },
      { label: 'failing', publishedAt: null, attempts: 1, lastError: 'no queue is bound' },
      { label: 'never-tried', publishedAt: null },
    ]);
  });
  afterAll(async () => {
    await close();
  });

  it('reads the published events of a type in [since, until), every version, in seq order, as the relay sent them', async () => {
    const page = await readArchivePage(client, { ...window, type: 'item.created' });
    expect(labels(page.events)).toEqual(['first', 'v2', 'other-subject', 'late', 'early']);
    expect(page.next).toBeUndefined();
    const [first] = page.events;
    expect(first).toMatchObject({ seq: seqOf.get('first'), publishedAt: at('10:00:00') });
    expect(first?.message).toMatchObject({ routingKey: 'item.created.v1', headers: { correlation_id: 'corr-first' }, envelope: { type: 'item.created', label: 'first' } });
  });

  it('takes a routing key for one version, a subject, or neither for every type', async () => {
    expect(labels((await readArchivePage(client, { ...window, type: 'item.created.v2' })).events)).toEqual(['v2']);
    expect(labels((await readArchivePage(client, { ...window, type: 'item.created', subject: 'item-2' })).events)).toEqual(['other-subject']);
    expect(labels((await readArchivePage(client, window)).events)).toEqual(['first', 'v2', 'other-type', 'other-subject', 'late', 'early']);
    expect((await readArchivePage(client, { ...window, type: 'nothing.v1' })).events).toEqual([]);
  });

  it('counts what it would read', async () => {
    expect(await countArchived(client, { ...window, type: 'item.created' })).toBe(5);
    expect(await countArchived(client, { ...window, type: 'item.created.v1' })).toBe(4);
    expect(await countArchived(client, window)).toBe(6);
  });

  it('pages with a seq cursor, and streams page by page', async () => {
    const selection = { ...window, type: 'item.created' };
    const one = await readArchivePage(client, selection, { limit: 2 });
    expect(labels(one.events)).toEqual(['first', 'v2']);
    expect(one.next).toBe(seqOf.get('v2'));
    const two = await readArchivePage(client, selection, { after: one.next, limit: 2 });
    expect(labels(two.events)).toEqual(['other-subject', 'late']);
    const three = await readArchivePage(client, selection, { after: two.next, limit: 2 });
    expect(labels(three.events)).toEqual(['early']);
    expect(three.next).toBeUndefined();

    const streamed = [];
    for await (const event of archivedEvents(client, selection, { pageSize: 2 })) streamed.push(event);
    expect(labels(streamed)).toEqual(['first', 'v2', 'other-subject', 'late', 'early']);
    await expect(readArchivePage(client, selection, { limit: 0 })).rejects.toThrow(RangeError);
  });

  it('groups the pending rows the relay failed to publish by their last error', async () => {
    expect(await outboxFailures(client)).toEqual([{ lastError: 'no queue is bound', rows: 2, maxAttempts: 3, oldestSeq: seqOf.get('pending') }]);
  });
});
