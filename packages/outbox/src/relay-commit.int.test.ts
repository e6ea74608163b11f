import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from 'postgres';
import { itemCreatedV1 } from '@warren/contracts';
import { connectBroker, createAmqpPublisher, retryPolicy, topologyFor, type BrokerConnection, type ConsumerDefinition } from '@warren/messaging';
import { drainQueue } from '@warren/messaging/testing';
import { createLogger, type Logger } from '@warren/telemetry';
import { countedPostgres, createTestVhost, waitFor, type TestVhost } from '@warren/testing';
import { openTestDatabase, type OutboxTestDatabase } from './harness.test-support.ts';
import { createOutbox, startRelay, type Relay } from './index.ts';

const silent = createLogger({ service: 'relay-commit-test', level: 'silent' });
const outbox = createOutbox({ sourceService: 'catalog' });
const queue = 'inventory.item-created';
const consumer: ConsumerDefinition = { queue, events: [itemCreatedV1], handle: async () => {} };

/** A logger whose lines the test reads back. */
function captureLogs(): { lines: Record<string, unknown>[]; logger: Logger } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ service: 'relay-commit-test', destination }) };
}

// What a relay batch costs in PostgreSQL round trips, and that marks sent with the COMMIT (not
// awaited) still fail the batch.
describe('relay batches and their commit', () => {
  let database: OutboxTestDatabase;
  let vhost: TestVhost;
  let broker: BrokerConnection;
  /** The socket writes of `counted`'s connections, in order. */
  let writes: Buffer[] = [];
  /** A client of one pooled connection whose socket writes are recorded in `writes`. */
  let counted: Sql;
  const running: { close(): Promise<void> }[] = [];

  async function addItems(subjects: readonly string[]): Promise<void> {
    await database.db.transaction(async (tx) => {
      for (const subject of subjects) {
        const id = crypto.randomUUID();
        await outbox.add(tx, {
          definition: itemCreatedV1,
          subject,
          data: { id, name: 'Lamp', sku: `SKU-${id.slice(0, 8)}`, priceCents: 1, createdAt: new Date().toISOString() },
          cause: { correlationId: 'corr' },
        });
      }
    });
  }

  async function relay(client: Sql, options: { logger?: Logger; isConnected?: () => boolean } = {}): Promise<Relay> {
    const publisher = createAmqpPublisher(broker, { exchange: 'events', logger: silent });
    const started = await startRelay({ client, publisher, logger: options.logger ?? silent, pollIntervalMs: 50, ...(options.isConnected ? { isConnected: options.isConnected } : {}) });
    running.push(started, publisher);
    return started;
  }

  async function pendingRows(): Promise<{ subject: string; attempts: number }[]> {
    return database.client<{ subject: string; attempts: number }[]>`select subject, attempts from outbox_messages where published_at is null order by seq`;
  }

  beforeAll(async () => {
    [database, vhost] = await Promise.all([openTestDatabase(), createTestVhost()]);
    broker = await connectBroker({ url: vhost.url, name: 'relay-commit-test', logger: silent, topology: topologyFor([consumer], { exchange: 'events', retry: retryPolicy({ delaysMs: [] }) }) });
    ({ sql: counted, writes } = countedPostgres(database.url));
  });
  afterEach(async () => {
    for (const part of running.splice(0).reverse()) await part.close();
    await database.client`truncate outbox_messages`;
    await drainQueue(vhost.url, queue);
  });
  afterAll(async () => {
    await counted.end();
    await broker.close();
    await Promise.all([database.close(), vhost.delete()]);
  });

  it('publishes a batch in two PostgreSQL writes: the claim with BEGIN, the marks with COMMIT', async () => {
    // While the broker reads as away the relay's own loop claims nothing, so the only batches on
    // the connection are the ones this test runs (relayOnce does not ask).
    const started = await relay(counted, { isConnected: () => false });
    // The first batch on a connection also prepares its statements (a round trip each).
    await addItems(['a', 'b']);
    expect(await started.relayOnce()).toBe(2);

    await addItems(['a', 'c', 'a']);
    const seqs = (await database.client<{ seq: string }[]>`select seq from outbox_messages where published_at is null order by seq`).map((row) => row.seq);
    writes.length = 0;
    expect(await started.relayOnce()).toBe(3);
    const texts = writes.map((chunk) => chunk.toString('latin1'));
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain('begin');
    // The second carries the mark of the three rows (an array parameter, as postgres.js writes it).
    expect(texts[1]).toContain(`{${seqs.map((seq) => `"${seq}"`).join(',')}}`);
    expect(await pendingRows()).toEqual([]);
  });

  it('fails the batch, logs it and leaves its rows pending when marking them published fails', async () => {
    // A row of this subject cannot be marked published: the update sent with the COMMIT fails.
    await database.client`alter table outbox_messages add constraint never_published check (published_at is null or subject <> 'stuck')`;
    try {
      const { lines, logger } = captureLogs();
      await addItems(['fine', 'stuck']);
      await relay(database.client, { logger });
      const failure = await waitFor(() => lines.find((line) => line['msg'] === 'relay batch failed'), { description: 'a failed relay batch logged' });
      expect(failure['err']).toMatchObject({ code: '23514', constraint_name: 'never_published' });
      // The batch rolled back as a whole: neither row is marked, nor counted as a failed attempt.
      expect(await pendingRows()).toEqual([
        { subject: 'fine', attempts: 0 },
        { subject: 'stuck', attempts: 0 },
      ]);
    } finally {
      for (const part of running.splice(0).reverse()) await part.close();
      await database.client`alter table outbox_messages drop constraint never_published`;
    }
  });
});
