import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@warren/testing';
import { buildApp, createGate, postWidget, startDatabase, widgetFingerprint, type Gate } from '../test/idempotency-harness.ts';

let database: Awaited<ReturnType<typeof startDatabase>>;

beforeAll(async () => {
  database = await startDatabase();
});

afterAll(async () => {
  await database.close();
});

describe('idempotency under concurrency', () => {
  it('answers 409 with Retry-After while the same key is in flight, then replays', async () => {
    const gates = new Map<string, Gate>([['first', createGate()]]);
    const app = buildApp(database.db, { gates });
    const key = randomUUID();
    const first = postWidget(app, key, { name: 'in-flight' }, { 'x-gate': 'first' });
    await gates.get('first')!.entered.promise;

    const second = await postWidget(app, key, { name: 'in-flight' });
    expect(second.status).toBe(409);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await second.json()).toMatchObject({ type: 'urn:warren:problem:idempotency_key_in_flight' });

    gates.get('first')!.release.resolve();
    const firstResponse = await first;
    expect(firstResponse.status).toBe(201);
    const third = await postWidget(app, key, { name: 'in-flight' });
    expect(third.headers.get('idempotent-replayed')).toBe('true');
    expect(await third.text()).toBe(await firstResponse.text());
    expect(await database.widgetCount('in-flight')).toBe(1);
  });

  it('frees the key of a request that failed while another waited on it', async () => {
    const gates = new Map<string, Gate>([['failing', createGate()]]);
    const app = buildApp(database.db, { gates, inFlightWaitMs: 10_000 });
    const key = randomUUID();
    const failing = postWidget(app, key, { name: 'freed' }, { 'x-gate': 'failing', 'x-fail': 'after-gate' });
    await gates.get('failing')!.entered.promise;
    const waiting = postWidget(app, key, { name: 'freed' });
    await waitFor(async () => (await database.waitingOnLocks()) > 0, { description: 'the second request to wait on the key' });

    gates.get('failing')!.release.resolve();
    expect((await failing).status).toBe(500);
    const second = await waiting;
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
    expect(await database.widgetCount('freed')).toBe(1);
  });

  it('waits behind a transaction holding the key’s lock (an in-flight claim, or a key whose hash collides), answering 409 after the wait, then claims once it ends', async () => {
    const app = buildApp(database.db, { inFlightWaitMs: 50 });
    const key = randomUUID();
    const release = await database.holdKeyLock('anonymous', key);
    const blocked = await postWidget(app, key, { name: 'locked' });
    expect(blocked.status).toBe(409);
    expect(await blocked.json()).toMatchObject({ type: 'urn:warren:problem:idempotency_key_in_flight' });

    // Released while a request waits on it: that request claims the key (nothing was stored for it).
    await release();
    const slowApp = buildApp(database.db, { inFlightWaitMs: 10_000 });
    const releaseAgain = await database.holdKeyLock('anonymous', key);
    const waiting = postWidget(slowApp, key, { name: 'locked' });
    await waitFor(async () => (await database.waitingOnLocks()) > 0, { description: 'the request to wait on the key’s lock' });
    await releaseAgain();
    const claimed = await waiting;
    expect(claimed.status).toBe(201);
    expect(claimed.headers.get('idempotent-replayed')).toBeNull();
    expect(await database.widgetCount('locked')).toBe(1);
  });

  it('takes over an in-flight key committed by the earlier claim protocol once its lease has expired', async () => {
    const app = buildApp(database.db);
    const [live, expired] = [randomUUID(), randomUUID()];
    const request = { method: 'POST', path: '/widgets', fingerprint: widgetFingerprint({ name: 'legacy' }) };
    await database.insertInFlightKey({ key: live, ...request, leaseSecondsLeft: 60 });
    await database.insertInFlightKey({ key: expired, ...request, leaseSecondsLeft: -1 });

    const blocked = await postWidget(app, live, { name: 'legacy' });
    expect(blocked.status).toBe(409);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(1);
    const taken = await postWidget(app, expired, { name: 'legacy' });
    expect(taken.status).toBe(201);
    expect(taken.headers.get('idempotent-replayed')).toBeNull();
    const replay = await postWidget(app, expired, { name: 'legacy' });
    expect(await replay.text()).toBe(await taken.text());
    expect(await database.widgetCount('legacy')).toBe(1);
  });

  it('writes exactly once when 20 requests race with one key', async () => {
    const app = buildApp(database.db);
    const key = randomUUID();
    const responses = await Promise.all(Array.from({ length: 20 }, () => postWidget(app, key, { name: 'raced' })));
    const originals = responses.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null);
    const replays = responses.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === 'true');
    const conflicts = responses.filter((r) => r.status === 409);
    expect(originals).toHaveLength(1);
    expect(replays.length + conflicts.length).toBe(19);
    const original = await originals[0]!.text();
    for (const replay of replays) expect(await replay.text()).toBe(original);
    expect(await database.widgetCount('raced')).toBe(1);
  });
});
