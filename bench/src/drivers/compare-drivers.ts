// `BENCH_MODE=drivers npm run bench`: drizzle on postgres.js (what Warren runs) against drizzle on
// node-postgres (`pg`), on the two transactions the services repeat most, with N clients each
// running them back to back: the write (item row + outbox row) and the inbox (inbox row
// `ON CONFLICT DO NOTHING` + the handler's row). The services are not involved; nothing is switched.
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql as raw } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import pg from 'pg';
import postgres from 'postgres';
import { inboxMessages, outboxMessages } from '@warren/outbox';
import { withDatabase } from '@warren/testing';
import { loadBenchConfig } from '../config.ts';
import { table } from '../report.ts';
import { createRecorder, perSecond, summarize, type Summary } from '../stats.ts';

const items = pgTable('items', { id: uuid('id').primaryKey(), sku: text('sku').notNull().unique(), priceCents: integer('price_cents').notNull() });
const stock = pgTable('stock', { itemId: uuid('item_id').primaryKey(), onHand: integer('on_hand').notNull() });

// The transaction API both drizzle drivers share, as far as these two transactions use it.
type Db = ReturnType<typeof drizzlePostgres> | ReturnType<typeof drizzlePg>;

async function write(db: Db, n: number): Promise<void> {
  await (db as ReturnType<typeof drizzlePostgres>).transaction(async (tx) => {
    const id = randomUUID();
    await tx.insert(items).values({ id, sku: `sku-${n}-${id}`, priceCents: 100 });
    await tx.execute(raw`select pg_notify('warren_drivers', '')`);
    await tx.insert(outboxMessages).values({ id: randomUUID(), type: 'item.created', version: 2, routingKey: 'item.created.v2', subject: id, envelope: { id, sku: `sku-${n}` }, headers: {} });
  });
}

async function inbox(db: Db): Promise<void> {
  await (db as ReturnType<typeof drizzlePostgres>).transaction(async (tx) => {
    const messageId = randomUUID();
    const inserted = await tx.insert(inboxMessages).values({ messageId, handler: 'inventory.item-created' }).onConflictDoNothing().returning({ messageId: inboxMessages.messageId });
    if (inserted.length > 0) await tx.insert(stock).values({ itemId: messageId, onHand: 0 });
  });
}

interface DriverResult {
  driver: string;
  work: string;
  perSecond: number;
  latencyMs: Summary;
}

async function drive(driver: string, work: string, clients: number, seconds: number, run: (n: number) => Promise<void>): Promise<DriverResult> {
  const latency = createRecorder();
  let done = 0;
  const startedAt = performance.now();
  const stopAt = startedAt + seconds * 1_000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < stopAt) {
        const sentAt = performance.now();
        await run(done);
        done++;
        latency.add(performance.now() - sentAt);
      }
    }),
  );
  return { driver, work, perSecond: perSecond(done, performance.now() - startedAt), latencyMs: summarize(latency.values()) };
}

const config = loadBenchConfig();
const clients = config.concurrency > 32 ? 20 : config.concurrency;
const database = `bench_${randomBytes(4).toString('hex')}_drivers`;
const admin = postgres(config.adminUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database "${database}"`);
const url = withDatabase(config.adminUrl, database);
const results: DriverResult[] = [];
try {
  const setup = postgres(url, { max: 1, onnotice: () => {} });
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const { outboxMigrations } = await import('@warren/outbox');
  await migrate(drizzlePostgres(setup), outboxMigrations);
  await setup.unsafe('create table items (id uuid primary key, sku text not null unique, price_cents integer not null); create table stock (item_id uuid primary key, on_hand integer not null)');
  await setup.end();
  // A pool of `clients` connections each, as a service's DATABASE_POOL_SIZE would be.
  const sqlPostgres = postgres(url, { max: clients, onnotice: () => {} });
  const pool = new pg.Pool({ connectionString: url, max: clients });
  try {
    const onPostgres = drizzlePostgres(sqlPostgres);
    const onPg = drizzlePg(pool);
    for (const [driver, db] of [
      ['postgres.js', onPostgres],
      ['pg', onPg],
      ['postgres.js', onPostgres],
      ['pg', onPg],
    ] as const) {
      results.push(await drive(driver, 'write (item + outbox)', clients, config.seconds, (n) => write(db, n)));
      results.push(await drive(driver, 'inbox (inbox + stock)', clients, config.seconds, () => inbox(db)));
      console.error(`[drivers] ${driver}: ${results.slice(-2).map((result) => `${result.work} ${Math.round(result.perSecond)}/s`).join(', ')}`);
    }
  } finally {
    await sqlPostgres.end();
    await pool.end();
  }
  const ms = (value: number): string => value.toFixed(value < 10 ? 2 : 1);
  console.log(
    `\n## drizzle on postgres.js vs on pg (${clients} clients, ${config.seconds} s each, each pair run twice, alternating)\n\n${table(
      ['driver', 'transaction', 'transactions/s', 'p50 (ms)', 'p99 (ms)'],
      results.map((result) => [result.driver, result.work, Math.round(result.perSecond).toLocaleString('en-US'), ms(result.latencyMs.p50), ms(result.latencyMs.p99)]),
    )}\n`,
  );
} finally {
  await admin.unsafe(`drop database if exists "${database}" with (force)`);
  await admin.end();
}
