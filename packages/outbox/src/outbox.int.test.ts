import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { itemCreatedV1 } from '@warren/contracts';
import { connectBroker, createAmqpPublisher, amqpSubscriberTransport, retryPolicy, runConsumer, topologyFor, type BrokerConnection, type ConsumerDefinition, type Subscriber } from '@warren/messaging';
import { drainQueue } from '@warren/messaging/testing';
import { createLogger } from '@warren/telemetry';
import { createTestVhost, queueMessageCount, waitFor, type TestVhost } from '@warren/testing';
import type { Sql } from 'postgres';
import { openTestDatabase, type OutboxTestDatabase } from './harness.test-support.ts';
import { createOutbox, inbox, startRelay, type Database, type Relay } from './index.ts';

const logger = createLogger({ service: 'outbox-test', level: 'silent' });
const outbox = createOutbox({ sourceService: 'catalog' });
const queue = 'inventory.item-created';

async function addItems(db: Database, count: number, subjects: readonly string[] = []): Promise<string[]> {
  const ids: string[] = [];
  await db.transaction(async (tx) => {
    for (let i = 0; i < count; i += 1) {
      const id = crypto.randomUUID();
      const subject = subjects[i % Math.max(subjects.length, 1)] ?? id;
      const envelope = await outbox.add(tx, {
        definition: itemCreatedV1,
        subject,
        data: { id, name: `Item ${i}`, sku: `SKU-${id.slice(0, 8)}`, priceCents: i, createdAt: new Date().toISOString() },
        cause: { correlationId: `corr-${i}`, idempotencyKey: `key-${i}` },
      });
      ids.push(envelope.id);
    }
  });
  return ids;
}

describe('outbox relay and inbox against real PostgreSQL and RabbitMQ', () => {
  let database: OutboxTestDatabase;
  let vhost: TestVhost;
  let client: Sql;
  let db: Database;
  let broker: BrokerConnection;
  const running: { close(): Promise<void> }[] = [];

  const consumer = (handlerName = queue): ConsumerDefinition => ({
    queue,
    events: [itemCreatedV1],
    handle: inbox(db, { handler: handlerName }, async (message, tx) => {
      await tx.execute(sql`insert into applied (message_id, handler, subject) values (${message.envelope.id}, ${handlerName}, ${message.envelope.subject})`);
    }),
  });

  async function applied(): Promise<{ message_id: string; subject: string }[]> {
    return client`select message_id, subject from applied order by seq`;
  }

  async function relay(): Promise<Relay> {
    const publisher = createAmqpPublisher(broker, { exchange: 'events', logger });
    const started = await startRelay({ client, publisher, logger, pollIntervalMs: 50, batchSize: 100 });
    running.push(started, publisher);
    return started;
  }

  async function consume(): Promise<Subscriber> {
    const subscriber = await runConsumer(amqpSubscriberTransport(broker), consumer(), { logger, retry: retryPolicy({ delaysMs: [] }) });
    running.push(subscriber);
    return subscriber;
  }

  beforeAll(async () => {
    [database, vhost] = await Promise.all([openTestDatabase(), createTestVhost()]);
    ({ client, db } = database);
    broker = await connectBroker({ url: vhost.url, name: 'outbox-test', logger, topology: topologyFor([consumer()], { exchange: 'events', retry: retryPolicy({ delaysMs: [] }) }) });
  });
  afterEach(async () => {
    for (const part of running.splice(0).reverse()) await part.close();
    await client`truncate outbox_messages, inbox_messages, applied`;
    await drainQueue(vhost.url, queue);
  });
  afterAll(async () => {
    await broker.close();
    await Promise.all([database.close(), vhost.delete()]);
  });

  it('publishes committed events once woken and marks them published after their confirms', async () => {
    await relay();
    await consume();
    const ids = await addItems(db, 50);
    await waitFor(async () => (await applied()).length === 50, { description: '50 applied events' });
    expect((await applied()).map((row) => row.message_id).sort()).toEqual([...ids].sort());
    const [pending] = await client<{ count: string }[]>`select count(*) from outbox_messages where published_at is null`;
    expect(pending?.count).toBe('0');
  });

  it('publishes nothing from a rolled-back transaction', async () => {
    const started = await relay();
    await expect(
      db.transaction(async (tx) => {
        await outbox.add(tx, {
          definition: itemCreatedV1,
          subject: 'rolled-back',
          data: { id: crypto.randomUUID(), name: 'x', sku: 'X', priceCents: 1, createdAt: new Date().toISOString() },
          cause: { correlationId: 'c' },
        });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await started.relayOnce()).toBe(0);
    const [rows] = await client<{ count: string }[]>`select count(*) from outbox_messages`;
    expect(rows?.count).toBe('0');
  });

  it('does not mark a returned (unroutable) message published', async () => {
    const publisher = createAmqpPublisher(broker, { exchange: 'events', logger });
    running.push(await startRelay({ client, publisher, logger, pollIntervalMs: 50 }), publisher);
    await db.transaction(async (tx) => {
      await outbox.add(tx, {
        definition: { ...itemCreatedV1, routingKey: 'nobody.cares.v1' },
        subject: 'unroutable',
        data: { id: crypto.randomUUID(), name: 'x', sku: 'X', priceCents: 1, createdAt: new Date().toISOString() },
        cause: { correlationId: 'c' },
      });
    });
    const row = await waitFor(async () => {
      const [current] = await client<{ published_at: Date | null; attempts: number; last_error: string }[]>`select published_at, attempts, last_error from outbox_messages`;
      return current && current.attempts >= 1 ? current : undefined;
    }, { description: 'a failed publish attempt' });
    expect(row.published_at).toBeNull();
    expect(row.last_error).toContain('no queue is bound');
  });

  it('applies a message delivered twice only once, even to two consumer instances racing', async () => {
    const ids = await addItems(db, 30);
    const [first, second] = [await relay(), await relay()];
    await waitFor(async () => {
      const [row] = await client<{ count: string }[]>`select count(*) from outbox_messages where published_at is null`;
      return row?.count === '0';
    }, { description: 'outbox drained' });
    await Promise.all([first.close(), second.close()]);
    // Publish every event a second time, as a relay that died before marking would.
    await client`update outbox_messages set published_at = null`;
    await (await relay()).relayOnce();
    await Promise.all([consume(), consume()]);
    await waitFor(async () => (await applied()).length >= 30, { description: 'events applied' });
    await waitFor(async () => (await queueMessageCount(vhost, queue)) === 0, { description: 'every delivery settled' });
    const rows = await applied();
    expect(rows.length).toBe(30);
    expect(new Set(rows.map((row) => row.message_id))).toEqual(new Set(ids));
  });

  it('republishes rows of a relay killed after its confirms but before marking them, and consumers apply them once', async () => {
    const ids = await addItems(db, 20);
    const child = spawn(process.execPath, [fileURLToPath(new URL('../test/relay-process.ts', import.meta.url))], {
      env: { ...process.env, DATABASE_URL: database.url, AMQP_URL: vhost.url, WARREN_FAILPOINT: 'relay.after-confirm' },
      stdio: 'inherit',
    });
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, exitSignal) => resolve(exitSignal)));
    expect(signal).toBe('SIGKILL');
    const [pending] = await client<{ count: string }[]>`select count(*) from outbox_messages where published_at is null`;
    expect(pending?.count).toBe('20');
    await consume();
    await relay();
    await waitFor(async () => {
      const [row] = await client<{ count: string }[]>`select count(*) from outbox_messages where published_at is null`;
      return row?.count === '0';
    }, { description: 'outbox drained by the second relay' });
    await waitFor(async () => (await applied()).length === 20, { description: 'events applied' });
    const [duplicates] = await client<{ count: string }[]>`select count(*) from inbox_messages`;
    expect(duplicates?.count).toBe('20');
    expect(new Set((await applied()).map((row) => row.message_id))).toEqual(new Set(ids));
  });

  it('never publishes a row twice with two relays live, and keeps per-subject order', async () => {
    const seen: { id: string; subject: string }[] = [];
    const recorder: ConsumerDefinition = {
      queue,
      events: [itemCreatedV1],
      handle: async (message) => {
        seen.push({ id: message.envelope.id, subject: message.envelope.subject });
      },
    };
    running.push(await runConsumer(amqpSubscriberTransport(broker), recorder, { logger, prefetch: 1 }));
    await Promise.all([relay(), relay()]);
    const subjects = ['a', 'b', 'c', 'd'];
    const ids: string[] = [];
    for (let batch = 0; batch < 20; batch += 1) ids.push(...(await addItems(db, 10, subjects)));
    await waitFor(() => seen.length >= ids.length, { description: 'all events consumed' });
    await waitFor(async () => {
      const [row] = await client<{ count: string }[]>`select count(*) from outbox_messages where published_at is null`;
      return row?.count === '0';
    }, { description: 'outbox drained' });
    expect(seen.length).toBe(ids.length);
    expect(new Set(seen.map((event) => event.id)).size).toBe(ids.length);
    const committed = await client<{ id: string; subject: string }[]>`select id, subject from outbox_messages order by seq`;
    for (const subject of subjects) {
      const inCommitOrder = committed.filter((row) => row.subject === subject).map((row) => row.id);
      expect(inCommitOrder.length).toBeGreaterThan(0);
      expect(seen.filter((event) => event.subject === subject).map((event) => event.id)).toEqual(inCommitOrder);
    }
  });
  it('sends two writes of one subject in commit order, however their transactions interleave', async () => {
    const seen: string[] = [];
    running.push(await runConsumer(amqpSubscriberTransport(broker), { queue, events: [itemCreatedV1], handle: async (message) => void seen.push(message.envelope.id) }, { logger, prefetch: 1 }));
    await relay();
    const subject = crypto.randomUUID();
    const item = (tx: Parameters<Parameters<Database['transaction']>[0]>[0], name: string) =>
      outbox.add(tx, {
        definition: itemCreatedV1,
        subject,
        data: { id: subject, name, sku: `ORD-${subject.slice(0, 8)}`, priceCents: 1, createdAt: new Date().toISOString() },
        cause: { correlationId: name },
      });
    let added!: () => void;
    let commit!: () => void;
    const firstAdded = new Promise<void>((resolve) => (added = resolve));
    const firstMayCommit = new Promise<void>((resolve) => (commit = resolve));
    const ids: string[] = [];
    // The first writer adds its event, then stays open while the second one writes.
    const first = db.transaction(async (tx) => {
      ids[0] = (await item(tx, 'first')).id;
      added();
      await firstMayCommit;
    });
    await firstAdded;
    const second = db.transaction(async (tx) => {
      ids[1] = (await item(tx, 'second')).id;
    });
    try {
      await waitFor(
        async () => {
          const [row] = await client<{ waiting: number }[]>`
            select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
          return row?.waiting === 1;
        },
        { description: "the second writer waiting for the subject's lock" },
      );
    } finally {
      commit();
      await Promise.all([first, second]);
    }
    await waitFor(() => seen.length === 2, { description: 'both events consumed' });
    expect(seen).toEqual(ids);
  });
});
