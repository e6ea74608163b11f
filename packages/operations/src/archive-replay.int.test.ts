import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archivedEvents } from '@warren/outbox';
import { drainQueue } from '@warren/messaging/testing';
import postgres from 'postgres';
import { createTestDatabase, createTestVhost, type TestDatabase, type TestVhost } from '@warren/testing';
import { browseArchive, republishArchived } from './archive-replay.ts';
import { readOutboxStatus } from './outbox-report.ts';
import { openBroker, type Broker } from './broker.ts';
import { declareQueues, insertOutboxRows, itemCreated, migrateOutbox, readyIds } from './testing/index.ts';

const queue = 'inventory.item-created';
const at = (time: string) => new Date(`2025-06-01T${time}Z`);
const window = { since: at('10:00:00'), until: at('11:00:00') };

describe('archive replay against real servers', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  let broker: Broker;
  let sql: postgres.Sql;
  const events = [itemCreated(), itemCreated(), itemCreated()];
  const [first, second, third] = events;
  const late = itemCreated();
  const stuck = itemCreated();

  beforeAll(async () => {
    [vhost, database] = await Promise.all([createTestVhost('ops-archive'), createTestDatabase('ops_archive')]);
    await Promise.all([declareQueues(vhost, [{ queue, deliveryLimit: 20 }]), migrateOutbox(database.url)]);
    await insertOutboxRows(database.url, [
      ...events.map((message, index) => ({ message, createdAt: at(`10:1${index}:00`), publishedAt: at(`10:1${index}:01`) })),
      { message: late, createdAt: at('11:30:00'), publishedAt: at('11:30:01') },
      { message: stuck, createdAt: new Date(Date.now() - 90_000), publishedAt: null, attempts: 3, lastError: 'unroutable' },
    ]);
    broker = await openBroker(vhost.url);
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
  });
  afterAll(async () => {
    await sql.end();
    await broker.close();
    await Promise.all([vhost.delete(), database.drop()]);
  });

  it('browses the archive a page at a time, by type, subject and time range, with the total', async () => {
    const page = await browseArchive(sql, { type: 'item.created', ...window }, { limit: 2 });
    expect(page.total).toBe(3);
    expect(page.events.map((event) => event.message.envelope.id)).toEqual([first?.envelope.id, second?.envelope.id]);
    const rest = await browseArchive(sql, { type: 'item.created', ...window }, { after: page.next, limit: 2 });
    expect(rest).toMatchObject({ total: 3, next: undefined });
    expect(rest.events.map((event) => event.message.envelope.id)).toEqual([third?.envelope.id]);
    const bySubject = await browseArchive(sql, { subject: second?.envelope.subject, ...window });
    expect(bySubject.events.map((event) => event.message.envelope.id)).toEqual([second?.envelope.id]);
  });

  it('lists on a dry run what it would publish and publishes nothing', async () => {
    const { events: rows } = await browseArchive(sql, { type: 'item.created.v1', ...window });
    const outcome = await republishArchived(broker, rows, queue, { dryRun: true });
    expect(outcome).toMatchObject({ queue, dryRun: true, published: 0 });
    expect(outcome.wouldPublish.map((ref) => [ref.id, ref.routingKey, ref.publishedAt.toISOString()])).toEqual(
      events.map((message, index) => [message.envelope.id, 'item.created.v1', at(`10:1${index}:01`).toISOString()]),
    );
    expect(await readyIds(vhost, queue)).toEqual([]);
  });

  it('re-publishes a selection to one queue in order, with the ids and headers the relay used', async () => {
    const { events: rows } = await browseArchive(sql, { type: 'item.created', ...window });
    const outcome = await republishArchived(broker, [rows[0], rows[2]].filter((row) => row !== undefined), queue);
    expect(outcome).toEqual({ queue, dryRun: false, published: 2, wouldPublish: [] });
    const sent = await drainQueue(vhost.url, queue);
    expect(sent.map((message) => message.properties.messageId as string)).toEqual([first?.envelope.id, third?.envelope.id]);
    expect(JSON.parse(sent[0]?.body ?? '')).toEqual(first?.envelope);
    expect(sent[0]?.headers).toMatchObject({ correlation_id: first?.headers.correlation_id });
  });

  it('takes a whole selection as a stream and reports progress', async () => {
    const progress: number[] = [];
    const outcome = await republishArchived(broker, archivedEvents(sql, { ...window, until: at('12:00:00') }), queue, { total: 4, onProgress: ({ published }) => progress.push(published) });
    expect(outcome.published).toBe(4);
    expect(await readyIds(vhost, queue)).toEqual([...events, late].map((message) => message.envelope.id));
    expect(progress.every((count) => count <= 4)).toBe(true);
  });

  it('refuses a queue that does not exist before sending anything', async () => {
    await expect(republishArchived(broker, [], 'nobody.here')).rejects.toMatchObject({ code: 'queue_not_found' });
  });

  it('reads the outbox backlog, its oldest pending age and the failing rows; pending rows are never archived', async () => {
    const status = await readOutboxStatus(sql, 'catalog');
    expect(status).toMatchObject({ service: 'catalog', pending: 1, failing: 1, failures: [{ lastError: 'unroutable', rows: 1, maxAttempts: 3 }] });
    expect(status.oldestPendingMs).toBeGreaterThanOrEqual(90_000);
    const everything = await browseArchive(sql, { since: new Date(0), until: new Date(Date.now() + 60_000) });
    expect(everything.events.map((event) => event.message.envelope.id)).not.toContain(stuck.envelope.id);
  });
});
