// The console's grouped view over many parked messages, as a figure: `npm run bench:grouping -w
// @warren/console` fills the index of a fresh database with GROUPING_BENCH_MESSAGES parked
// messages (10,000 by default) over three dead-letter queues, then times each grouping and the
// searches the pages run. Needs the PostgreSQL server of DATABASE_ADMIN_URL (or DATABASE_URL).
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { applyMigrations } from '@warren/service';
import { createLogger } from '@warren/telemetry';
import { createIndexStore, groupKeys, type IndexStore } from '../src/parked/index-store.ts';
import { sampleQueues } from '../src/parked/sample-records.ts';

const adminUrl = process.env['DATABASE_ADMIN_URL'] ?? process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const total = Number(process.env['GROUPING_BENCH_MESSAGES'] ?? 10_000);
const rounds = 7;
const migrations = fileURLToPath(new URL('../src/db/migrations', import.meta.url));

async function timed(run: () => Promise<unknown>): Promise<{ median: number; max: number }> {
  await run();
  const samples: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)] ?? 0, max: samples.at(-1) ?? 0 };
}

async function measure(store: IndexStore): Promise<[string, { median: number; max: number }][]> {
  const rows: [string, { median: number; max: number }][] = [];
  for (const by of groupKeys) rows.push([`groups by ${by}`, await timed(() => store.groups(by))]);
  rows.push(['groups by fingerprint, one queue', await timed(() => store.groups('fingerprint', { deadLetterQueue: 'inventory.item-created.dlq' }))]);
  rows.push(['first page (100), newest first', await timed(() => store.search({ limit: 100 }))]);
  rows.push(['full text over error and body', await timed(() => store.search({ text: 'lamp 4321', limit: 100 }))]);
  rows.push(['correlation id', await timed(() => store.search({ correlationId: 'corr-4321' }))]);
  return rows;
}

const name = `console_grouping_bench_${randomBytes(4).toString('hex')}`;
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database "${name}"`);
const target = new URL(adminUrl);
target.pathname = `/${name}`;
const sql = postgres(target.toString(), { max: 4, onnotice: () => {} });
try {
  await applyMigrations({ url: target.toString(), migrationsFolder: migrations, logger: createLogger({ service: 'console', level: 'silent' }) });
  const store = createIndexStore(drizzle(sql));
  const shares = { 'inventory.item-created.dlq': 0.6, 'audit.event-log.dlq': 0.3, 'inventory.stock-adjusted.dlq': 0.1 };
  const queues = sampleQueues(Object.fromEntries(Object.entries(shares).map(([queue, share]) => [queue, Math.round(total * share)])));
  for (const [queue, records] of queues) await store.replaceQueue(queue, records);
  await sql`analyze`;
  const indexed = await store.count();
  process.stdout.write(`\n## Console index: ${indexed.toLocaleString('en')} parked messages\n\n`);
  process.stdout.write(`| query | median ms | max ms (of ${rounds}) |\n| --- | ---: | ---: |\n`);
  for (const [label, { median, max }] of await measure(store)) process.stdout.write(`| ${label} | ${median.toFixed(1)} | ${max.toFixed(1)} |\n`);
} finally {
  await sql.end();
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
}
