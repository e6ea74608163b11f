import { randomUUID } from 'node:crypto';
import { and, eq, lt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@warren/testing';
import { buildApp, createGate, postWidget, startDatabase, type Gate } from '../test/idempotency-harness.ts';
import { idempotencyKeys } from './schema.ts';

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

  it('takes over an expired lease, and the stalled owner can no longer complete', async () => {
    const gates = new Map<string, Gate>([['stalled', createGate()]]);
    const app = buildApp(database.db, { gates, leaseMs: 50 });
    const key = randomUUID();
    const stalled = postWidget(app, key, { name: 'taken-over' }, { 'x-gate': 'stalled' });
    await gates.get('stalled')!.entered.promise;
    await waitFor(
      async () =>
        (
          await database.db
            .select({ key: idempotencyKeys.key })
            .from(idempotencyKeys)
            .where(and(eq(idempotencyKeys.key, key), lt(idempotencyKeys.lockedUntil, sql`now()`)))
        ).length > 0,
      { description: 'the lease to expire' },
    );

    const successor = await postWidget(app, key, { name: 'taken-over' });
    expect(successor.status).toBe(201);
    expect(successor.headers.get('idempotent-replayed')).toBeNull();

    gates.get('stalled')!.release.resolve();
    const stalledResponse = await stalled;
    expect(stalledResponse.status).toBe(409);
    expect(await database.widgetCount('taken-over')).toBe(1);
    const replay = await postWidget(app, key, { name: 'taken-over' });
    expect(await replay.text()).toBe(await successor.text());
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
