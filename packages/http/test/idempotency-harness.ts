import { createHash } from 'node:crypto';
import { count, eq, sql } from 'drizzle-orm';
import { pgTable, serial, text } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { z } from 'zod';
import { createLogger } from '@warren/telemetry';
import { createTestDatabase, type TestDatabase } from '@warren/testing';
import { createEdge } from '../src/edge.ts';
import { idempotency, respondIdempotently } from '../src/idempotency.ts';
import { keyLockSpace } from '../src/idempotency-store.ts';
import { httpMigrations } from '../src/migrations.ts';
import { idempotencyKeys } from '../src/schema.ts';
import { parseJsonBody } from '../src/validation.ts';

/** The business table of the test app, written in the same transaction as the stored response. */
export const widgets = pgTable('widgets', { id: serial('id').primaryKey(), name: text('name').notNull() });

/** Lets a test hold a handler inside its transaction (after its insert) until it says go. */
export interface Gate {
  entered: PromiseWithResolvers<void>;
  release: PromiseWithResolvers<void>;
}

export function createGate(): Gate {
  return { entered: Promise.withResolvers<void>(), release: Promise.withResolvers<void>() };
}

export async function startDatabase() {
  const database: TestDatabase = await createTestDatabase('http');
  const client = postgres(database.url, { max: 10, onnotice: () => {} });
  const db = drizzle(client);
  await migrate(db, httpMigrations);
  await client`create table widgets (id serial primary key, name text not null)`;
  return {
    db,
    widgetCount: async (name: string) => (await db.select({ n: count() }).from(widgets).where(eq(widgets.name, name)))[0]!.n,
    keyRows: (key: string) => db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key)),
    /** Sessions of this database waiting for a lock (a request waiting on another's key). */
    waitingOnLocks: async () =>
      (await client<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`)[0]!.n,
    /** A committed in-flight claim of anonymous, as the earlier protocol left it, its lease ending in `leaseSecondsLeft`. */
    insertInFlightKey: async ({ key, method, path, fingerprint, leaseSecondsLeft }: { key: string; method: string; path: string; fingerprint: string; leaseSecondsLeft: number }) => {
      await db.insert(idempotencyKeys).values({
        caller: 'anonymous',
        key,
        method,
        path,
        fingerprint,
        state: 'in_flight',
        leaseToken: crypto.randomUUID(),
        lockedUntil: sql`now() + ${leaseSecondsLeft}::int * interval '1 second'`,
      });
    },
    /**
     * Holds the advisory lock every claim of (caller, key) takes, in a transaction of its own, as an
     * in-flight claim of the key, or of a key whose hash collides with it, does; resolves once held.
     */
    holdKeyLock: async (caller: string, key: string) => {
      const held = Promise.withResolvers<void>();
      const release = Promise.withResolvers<void>();
      const done = client.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(${keyLockSpace}::int, hashtext(${caller} || ' ' || ${key}))`;
        held.resolve();
        await release.promise;
      });
      done.catch(held.reject);
      await held.promise;
      return async () => {
        release.resolve();
        await done;
      };
    },
    close: async () => {
      await client.end();
      await database.drop();
    },
  };
}

type Db = ReturnType<typeof drizzle>;

/** The fingerprint `idempotency` gives `POST /widgets` with this JSON body (as `postWidget` sends it). */
export function widgetFingerprint(body: unknown): string {
  return createHash('sha256').update('POST\n/widgets\n').update(JSON.stringify(body)).digest('hex');
}

/**
 * POST /widgets `{name}` behind `idempotency`, answering through `respondIdempotently`.
 * Test knobs ride in headers, which are not part of the fingerprint: `x-caller` sets the caller,
 * `x-gate` names a gate to wait on, `x-fail: after-insert` crashes after the business insert,
 * `x-fail: after-gate` once its gate is released.
 */
export function buildApp(db: Db, { leaseMs, inFlightWaitMs, gates = new Map<string, Gate>() }: { leaseMs?: number; inFlightWaitMs?: number; gates?: Map<string, Gate> } = {}) {
  const app = createEdge({ service: 'http-test', version: '0.0.0', logger: createLogger({ service: 'http-test', level: 'silent' }) });
  app.use('/widgets', async (c, next) => {
    c.set('caller', c.req.header('x-caller') ?? 'anonymous');
    await next();
  });
  app.get('/widgets', (c) => c.json({ ok: true }));
  app.post('/widgets', idempotency({ db, leaseMs, inFlightWaitMs }), async (c) => {
    const input = await parseJsonBody(c, z.object({ name: z.string().min(1) }));
    const gate = gates.get(c.req.header('x-gate') ?? '');
    const fail = c.req.header('x-fail');
    return respondIdempotently(c, db, async (tx) => {
      const [row] = await tx.insert(widgets).values({ name: input.name }).returning();
      if (fail === 'after-insert') throw new Error('handler crashed after its insert');
      if (gate !== undefined) {
        gate.entered.resolve();
        await gate.release.promise;
      }
      if (fail === 'after-gate') throw new Error('handler crashed after its gate');
      return { status: 201, body: row, headers: { Location: `/widgets/${row!.id}` } };
    });
  });
  app.post('/unguarded', async (c) =>
    respondIdempotently(c, db, async (tx) => {
      const [row] = await tx.insert(widgets).values({ name: 'unguarded' }).returning();
      return { status: 201, body: row };
    }),
  );
  app.delete('/plain/:id', idempotency({ db, leaseMs }), (c) => c.json({ deleted: c.req.param('id'), at: crypto.randomUUID() }));
  return app;
}

export function postWidget(
  app: ReturnType<typeof buildApp>,
  key: string | undefined,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return Promise.resolve(
    app.request('/widgets', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { 'Idempotency-Key': key }), ...headers },
    }),
  );
}
