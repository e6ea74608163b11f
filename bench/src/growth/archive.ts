import { performance } from 'node:perf_hooks';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres, { type Sql } from 'postgres';
import { outboxMigrations, pruneOutbox } from '@warren/outbox';
import { withDatabase } from '@warren/testing';
import { summarize, type Summary } from '../stats.ts';
import { claimSql } from './claim-sql.ts';

/** What the outbox costs at one archive size. */
export interface ArchiveMeasurement {
  label: string;
  /** Published rows kept as the archive while measuring. */
  archivedRows: number;
  /** One transaction of one statement: the subject lock, then one outbox row (as `outbox.add`). */
  writeMs: Summary;
  /** The relay's claim (the statement of `claimBatch`, batch of `claimLimit`) in a transaction rolled back. */
  claimMs: Summary;
  /** `pruneOutbox` deleting the due rows in one run. */
  retention: { deleted: number; ms: number; rowsPerSecond: number };
  claimPlan: string;
  retentionPlan: string;
}

export interface ArchiveOptions {
  adminUrl: string;
  /** Name of the fresh database, dropped by the caller's clean-up. */
  database: string;
  archivedRows: number;
  /** Rows past the retention cutoff when the retention job runs (what it deletes at once). */
  dueRows: number;
  writes: number;
  claims: number;
  claimLimit: number;
  log(message: string): void;
}

const retentionMs = 168 * 3_600_000;
const envelope = JSON.stringify({ id: '00000000-0000-7000-8000-000000000000', type: 'item.created', version: 2, data: { sku: 'growth', priceCents: 100 } });
const headers = JSON.stringify({ correlation_id: 'growth', source_service: 'catalog' });

async function timeEach(times: number, run: (index: number) => Promise<unknown>): Promise<Summary> {
  const samples: number[] = [];
  for (let index = 0; index < times; index++) {
    const startedAt = performance.now();
    await run(index);
    samples.push(performance.now() - startedAt);
  }
  return summarize(samples);
}

async function explain(sql: Sql, statement: string, parameters: (string | number)[]): Promise<string> {
  let plan = '';
  // EXPLAIN ANALYZE runs the statement: roll back, so the delete deletes nothing.
  await sql
    .begin(async (tx) => {
      const rows = await tx.unsafe<{ 'QUERY PLAN': string }[]>(`explain (analyze, buffers) ${statement}`, parameters);
      plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  return plan;
}

class Rollback extends Error {}

/**
 * Inserts `count` published rows in one `INSERT … SELECT generate_series`, published within the
 * retention window (spread over the last six days) so the retention job keeps them.
 */
async function fillArchive(sql: Sql, count: number): Promise<void> {
  await sql.unsafe(
    `insert into outbox_messages (id, type, version, routing_key, subject, envelope, headers, created_at, published_at)
     select gen_random_uuid(), 'item.created', 2, 'item.created.v2', 'archived-' || g, $1::jsonb, $2::jsonb,
            now() - make_interval(secs => (g % 518400)::float8) - interval '1 second', now() - make_interval(secs => (g % 518400)::float8)
     from generate_series(1, $3::int) as g`,
    [envelope, headers, count],
  );
  await sql.unsafe('vacuum analyze outbox_messages');
}

/** Measures the write, the claim and the retention run on the outbox as it is now. */
async function measureOnce(sql: Sql, label: string, archivedRows: number, options: ArchiveOptions): Promise<ArchiveMeasurement> {
  const db = drizzle(sql);
  const writeMs = await timeEach(options.writes, (index) =>
    sql.begin(async (tx) => {
      await tx`with locked as materialized (select pg_advisory_xact_lock(1, hashtext(${`pending-${label}-${index}`})) as held)
               insert into outbox_messages (id, type, version, routing_key, subject, envelope, headers)
               select gen_random_uuid(), 'item.created', 2, 'item.created.v2', ${`pending-${label}-${index}`}, ${envelope}::jsonb, ${headers}::jsonb from locked`;
    }),
  );
  // The rows just written are the pending rows the relay claims.
  const claimMs = await timeEach(options.claims, () =>
    sql
      .begin(async (tx) => {
        await tx.unsafe(claimSql, [options.claimLimit]);
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      }),
  );
  const claimPlan = await explain(sql, claimSql, [options.claimLimit]);
  // Publish them past the cutoff, with enough older rows to make `dueRows` due at once.
  await sql.unsafe(`update outbox_messages set published_at = now() - interval '169 hours' where published_at is null`);
  await sql.unsafe(
    `insert into outbox_messages (id, type, version, routing_key, subject, envelope, headers, created_at, published_at)
     select gen_random_uuid(), 'item.created', 2, 'item.created.v2', 'due-' || g, $1::jsonb, $2::jsonb, now() - interval '170 hours', now() - interval '169 hours' - make_interval(secs => g::float8 / 1000)
     from generate_series(1, $3::int) as g`,
    [envelope, headers, Math.max(0, options.dueRows - options.writes)],
  );
  await sql.unsafe('analyze outbox_messages');
  const cutoff = new Date(Date.now() - retentionMs).toISOString();
  const retentionPlan = await explain(sql, 'delete from outbox_messages where published_at is not null and published_at < $1 returning seq', [cutoff]);
  const startedAt = performance.now();
  const deleted = await pruneOutbox(db, retentionMs);
  const ms = performance.now() - startedAt;
  options.log(`archive ${label}: write p50 ${writeMs.p50.toFixed(2)} ms, claim p50 ${claimMs.p50.toFixed(2)} ms, retention ${deleted} rows in ${Math.round(ms)} ms`);
  return { label, archivedRows, writeMs, claimMs, retention: { deleted, ms, rowsPerSecond: (deleted * 1_000) / ms }, claimPlan, retentionPlan };
}

/**
 * On a fresh database with the outbox tables (the package's migrations): the write, the claim and
 * a retention run with an empty archive, then again with `archivedRows` published rows kept.
 */
export async function measureArchive(options: ArchiveOptions): Promise<ArchiveMeasurement[]> {
  const admin = postgres(options.adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${options.database}"`);
  } finally {
    await admin.end();
  }
  const sql = postgres(withDatabase(options.adminUrl, options.database), { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(sql), outboxMigrations);
    const empty = await measureOnce(sql, 'empty', 0, options);
    const filledAt = performance.now();
    await fillArchive(sql, options.archivedRows);
    options.log(`archive: ${options.archivedRows.toLocaleString('en-US')} published rows inserted and analyzed in ${((performance.now() - filledAt) / 1_000).toFixed(1)} s`);
    const full = await measureOnce(sql, `${(options.archivedRows / 1e6).toLocaleString('en-US')} M archived`, options.archivedRows, options);
    return [empty, full];
  } finally {
    await sql.end();
  }
}
