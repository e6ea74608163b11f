import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, postWidget, startDatabase } from '../test/idempotency-harness.ts';
import { pruneIdempotencyKeys } from './idempotency-store.ts';
import { idempotencyKeys } from './schema.ts';

let database: Awaited<ReturnType<typeof startDatabase>>;
let app: ReturnType<typeof buildApp>;

beforeAll(async () => {
  database = await startDatabase();
  app = buildApp(database.db);
});

afterAll(async () => {
  await database.close();
});

describe('idempotency', () => {
  it('rejects a write without an Idempotency-Key with a 400 problem', async () => {
    const response = await postWidget(app, undefined, { name: 'no-key' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ type: 'urn:warren:problem:idempotency_key_missing', status: 400 });
    expect(await database.widgetCount('no-key')).toBe(0);
  });

  it.each([[''], ['k'.repeat(256)], ['tab\there']])('rejects a malformed Idempotency-Key (%#)', async (key) => {
    const response = await postWidget(app, key, { name: 'bad-key' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: 'urn:warren:problem:idempotency_key_invalid' });
    expect(await database.widgetCount('bad-key')).toBe(0);
  });

  it('lets reads through without a key', async () => {
    expect((await app.request('/widgets')).status).toBe(200);
  });

  it('replays the stored response for a repeated key', async () => {
    const key = randomUUID();
    const first = await postWidget(app, key, { name: 'replayed' });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const firstBody = await first.text();

    const second = await postWidget(app, key, { name: 'replayed' });
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(second.headers.get('content-type')).toBe('application/json');
    expect(await second.text()).toBe(firstBody);
    expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
    expect(await database.widgetCount('replayed')).toBe(1);
  });

  it('accepts the key as a structured-field string', async () => {
    const key = randomUUID();
    expect((await postWidget(app, `"${key}"`, { name: 'quoted' })).status).toBe(201);
    expect((await postWidget(app, key, { name: 'quoted' })).headers.get('idempotent-replayed')).toBe('true');
  });

  it('answers 422 when the key is reused with a different body', async () => {
    const key = randomUUID();
    expect((await postWidget(app, key, { name: 'original' })).status).toBe(201);
    const reused = await postWidget(app, key, { name: 'different' });
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({ type: 'urn:warren:problem:idempotency_key_reused', status: 422 });
    expect(await database.widgetCount('different')).toBe(0);
  });

  it('scopes keys to the caller', async () => {
    const key = randomUUID();
    const alice = await postWidget(app, key, { name: 'scoped' }, { 'x-caller': 'alice' });
    const bob = await postWidget(app, key, { name: 'scoped' }, { 'x-caller': 'bob' });
    expect([alice.status, bob.status]).toEqual([201, 201]);
    expect(bob.headers.get('idempotent-replayed')).toBeNull();
    expect(await database.widgetCount('scoped')).toBe(2);
  });

  it('releases the key when the handler fails validation, so a retry succeeds', async () => {
    const key = randomUUID();
    const invalid = await postWidget(app, key, { name: '' });
    expect(invalid.status).toBe(400);
    expect(await database.keyRows(key)).toEqual([]);
    const retry = await postWidget(app, key, { name: 'after-validation' });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
  });

  it('rolls back both the business row and the response when the transaction throws, and releases the key', async () => {
    const key = randomUUID();
    const crashed = await postWidget(app, key, { name: 'atomic' }, { 'x-fail': 'after-insert' });
    expect(crashed.status).toBe(500);
    expect(await crashed.text()).not.toContain('crashed');
    expect(await database.widgetCount('atomic')).toBe(0);
    expect(await database.keyRows(key)).toEqual([]);

    const retry = await postWidget(app, key, { name: 'atomic' });
    expect(retry.status).toBe(201);
    expect(await database.widgetCount('atomic')).toBe(1);
    const [row] = await database.keyRows(key);
    expect(row).toMatchObject({ state: 'completed', responseStatus: 201, responseBody: JSON.stringify(await retry.json()) });
  });

  it('answers 500 and keeps nothing when storing the response fails, though it travels with the COMMIT', async () => {
    // Fails the completion of this one request's key: its statement is sent without waiting, so
    // only the answer after the COMMIT can tell that the transaction rolled back.
    await database.db.execute(sql`
      create function refuse_stored_widget() returns trigger language plpgsql as $$
      begin
        if new.response_body like '%refused-store%' then raise exception 'storing refused'; end if;
        return new;
      end $$`);
    await database.db.execute(sql`create trigger refuse_stored_widget before update on idempotency_keys for each row execute function refuse_stored_widget()`);
    const key = randomUUID();
    try {
      const refused = await postWidget(app, key, { name: 'refused-store' });
      expect(refused.status).toBe(500);
      expect(await database.widgetCount('refused-store')).toBe(0);
      expect(await database.keyRows(key)).toEqual([]);
    } finally {
      await database.db.execute(sql`drop trigger refuse_stored_widget on idempotency_keys`);
      await database.db.execute(sql`drop function refuse_stored_widget()`);
    }
    const retry = await postWidget(app, key, { name: 'refused-store' });
    expect(retry.status).toBe(201);
    expect(await database.widgetCount('refused-store')).toBe(1);
  });

  it('stores and replays a response of a handler that does not use respondIdempotently', async () => {
    const key = randomUUID();
    const first = await app.request('/plain/9', { method: 'DELETE', headers: { 'Idempotency-Key': key } });
    const second = await app.request('/plain/9', { method: 'DELETE', headers: { 'Idempotency-Key': key } });
    expect(first.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.text()).toBe(await first.text());
  });

  it('just runs the transaction on a route without the middleware', async () => {
    const response = await app.request('/unguarded', { method: 'POST' });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toMatchObject({ name: 'unguarded' });
    expect(await database.widgetCount('unguarded')).toBe(1);
  });

  it('prunes old completed keys and long-abandoned in-flight ones, and nothing else', async () => {
    const oldKey = randomUUID();
    const freshKey = randomUUID();
    await postWidget(app, oldKey, { name: 'prune-old' });
    await postWidget(app, freshKey, { name: 'prune-fresh' });
    await database.db
      .update(idempotencyKeys)
      .set({ createdAt: sql`now() - interval '25 hours'` })
      .where(sql`${idempotencyKeys.key} = ${oldKey}`);
    const inFlight = (key: string, lockedUntil: string) => ({
      caller: 'anonymous',
      key,
      method: 'POST',
      path: '/widgets',
      fingerprint: 'f',
      state: 'in_flight' as const,
      leaseToken: randomUUID(),
      lockedUntil: sql`now() + ${lockedUntil}::interval`,
      createdAt: sql`now() - interval '25 hours'`,
    });
    const abandonedKey = randomUUID();
    const heldKey = randomUUID();
    await database.db.insert(idempotencyKeys).values([inFlight(abandonedKey, '-1 hour'), inFlight(heldKey, '1 hour')]);

    expect(await pruneIdempotencyKeys(database.db)).toBe(2);
    expect(await database.keyRows(oldKey)).toEqual([]);
    expect(await database.keyRows(abandonedKey)).toEqual([]);
    expect(await database.keyRows(freshKey)).toHaveLength(1);
    expect(await database.keyRows(heldKey)).toHaveLength(1);
  });

  it('answers 503 with Retry-After when the database is unreachable', async () => {
    const client = postgres('postgres://postgres@127.0.0.1:1/nowhere', { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      const response = await postWidget(buildApp(drizzle(client)), randomUUID(), { name: 'unreachable' });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await response.json()).toMatchObject({ type: 'urn:warren:problem:service_unavailable' });
    } finally {
      await client.end();
    }
  });
});
