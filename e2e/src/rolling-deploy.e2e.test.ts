import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type ServiceName } from '@warren/testing';
import { requestJson } from './http-client.ts';
import { startFaultSystem, type FaultSystem } from './support/fault-system.ts';
import { parkedIds } from './support/invariants.ts';
import { consumed } from './support/metrics.ts';
import { column } from './support/sql.ts';
import { runWarren } from './support/warren-cli.ts';

const queue = 'inventory.item-created';

/**
 * item.created moving from v1 to v2 while the system runs, as a rolling deploy does it: an
 * inventory released before v2 keeps working while the catalog moves to v2 (publishing both in the
 * migration window), then inventory is upgraded, then the catalog stops publishing v1, then an
 * operator replays the v1 archive. Every item is applied once, nothing is parked.
 */
describe('rolling deploy of item.created v2', () => {
  let faults: FaultSystem;
  const items: string[] = [];

  beforeAll(async () => {
    // The release before v2: the catalog publishes v1 only, inventory binds and handles v1 only.
    faults = await startFaultSystem('rolling', { env: { ITEM_CREATED_VERSIONS: '1' } });
  });
  afterAll(() => faults?.close());

  const db = (service: ServiceName) => faults.system.databaseUrl(service);

  async function createItems(label: string, count: number): Promise<void> {
    for (let n = 0; n < count; n += 1) {
      const sku = `${label}-${n}-${crypto.randomUUID().slice(0, 6)}`;
      const created = await requestJson<{ id: string }>(faults.system.services.catalog.baseUrl, '/api/v1/items', {
        method: 'POST',
        body: { name: `${label} ${n}`, sku, priceCents: 100 + n },
        headers: { 'idempotency-key': sku },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      items.push(created.body.id);
    }
  }

  /** Waits until inventory holds a stock row for every item so far, then checks each is there once. */
  async function everyItemStockedOnce(): Promise<void> {
    const expected = [...items].sort();
    const stocked = () => column(db('inventory'), (sql) => sql<{ value: string }[]>`select item_id::text as value from stock`);
    await waitFor(async () => (await stocked()).length >= expected.length, { description: `${expected.length} stock rows`, timeoutMs: 30_000, intervalMs: 200 });
    expect(await stocked()).toEqual(expected);
    // One inbox row per item: both copies of an item share its envelope id, so the second is a duplicate.
    const applied = await column(db('inventory'), (sql) => sql<{ value: string }[]>`select message_id::text as value from inbox_messages where handler = ${queue}`);
    expect(applied).toHaveLength(expected.length);
    expect(new Set(applied).size).toBe(expected.length);
  }

  /** Restarts `service` with `ITEM_CREATED_VERSIONS` set to `versions`, as a deploy of the next release would. */
  async function redeploy(service: ServiceName, versions: string): Promise<void> {
    await faults.system.services[service].stop();
    await faults.system.restart(service, { ITEM_CREATED_VERSIONS: versions });
  }

  it('applies every item exactly once and parks nothing, from v1 through the window to v2 and a v1 replay', { timeout: 150_000 }, async () => {
    await createItems('v1-era', 4);
    await everyItemStockedOnce();

    // The catalog moves to v2 and keeps publishing v1 for the inventory that knows only v1.
    await redeploy('catalog', '1,2');
    await createItems('window', 4);
    await everyItemStockedOnce();
    const routed = await column(db('catalog'), (sql) => sql<{ value: string }[]>`select distinct routing_key as value from outbox_messages`);
    expect(routed).toEqual(['item.created.v1', 'item.created.v2']);

    // Inventory is upgraded: bound to v1 and v2, handles v2, reads v1 upcast.
    await redeploy('inventory', '1,2');
    await createItems('upgraded', 4);
    await everyItemStockedOnce();
    // The second copy of each item in the window is dropped by the inbox.
    await waitFor(async () => (await consumed(faults.system.services.inventory, queue, 'duplicate')) >= 4, { description: 'the second copies dropped as duplicates', timeoutMs: 20_000 });

    // The window closes: the catalog publishes v2 only.
    await redeploy('catalog', '2');
    await createItems('v2-only', 4);
    await everyItemStockedOnce();

    // An operator replays every archived v1 event to the upgraded inventory: each arrives upcast to
    // v2 and is a duplicate of what it applied already.
    const v1Events = (await column(db('catalog'), (sql) => sql<{ value: string }[]>`select id::text as value from outbox_messages where routing_key = 'item.created.v1'`)).length;
    expect(v1Events).toBe(12);
    const before = await consumed(faults.system.services.inventory, queue, 'duplicate');
    const replay = await runWarren(faults.vhost, ['archive', 'replay', '--service', 'catalog', '--type', 'item.created.v1', '--since', '2000-01-01T00:00:00Z', '--to-queue', queue], {
      CATALOG_DATABASE_URL: db('catalog'),
    });
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toContain(`published ${v1Events} of ${v1Events} archived event(s)`);
    await waitFor(async () => (await consumed(faults.system.services.inventory, queue, 'duplicate')) - before === v1Events, {
      description: 'inventory to take every replayed v1 event as a duplicate',
      timeoutMs: 30_000,
    });
    await everyItemStockedOnce();

    // Audit logged each item once (the envelope id is shared across versions), and nothing is parked.
    const logged = await column(db('audit'), (sql) => sql<{ value: string }[]>`select subject as value from events where type = 'item.created'`);
    expect(logged).toEqual([...items].sort());
    expect(await parkedIds(faults.vhost)).toEqual({});
  });
});
