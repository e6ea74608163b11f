import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infrastructure, waitFor, withDatabase } from '@warren/testing';
import { startFaultSystem, type FaultSystem } from '../support/fault-system.ts';
import { assertInvariants, parkedIds } from '../support/invariants.ts';
import { consumed } from '../support/metrics.ts';
import { column, lockTable } from '../support/sql.ts';
import { duringStream } from '../support/stream.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { listParked, runWarren } from '../support/warren-cli.ts';
import { startWriter } from '../support/writer.ts';

const queue = 'inventory.item-created';
const retryDelaysMs = [100, 200];

describe('consumer and producer databases unavailable under a steady stream of writes', () => {
  let faults: FaultSystem;
  // Each service reaches its database through a proxy the test can cut, for that service alone.
  const proxies: { inventory?: TcpProxy; catalog?: TcpProxy } = {};
  const items = new Set<string>();

  beforeAll(async () => {
    const { databaseUrl } = infrastructure();
    proxies.inventory = await startTcpProxy(databaseUrl);
    proxies.catalog = await startTcpProxy(databaseUrl);
    const { inventory, catalog } = proxies;
    faults = await startFaultSystem('db-outage', {
      serviceEnv: (prefix) => ({
        inventory: {
          DATABASE_URL: inventory.url(withDatabase(databaseUrl, `${prefix}_inventory`, 'inventory')),
          // A statement waiting on a lock fails after this long: a transient error, retried.
          DATABASE_STATEMENT_TIMEOUT_MS: '100',
          RETRY_DELAYS_MS: retryDelaysMs.join(','),
        },
        catalog: { DATABASE_URL: catalog.url(withDatabase(databaseUrl, `${prefix}_catalog`, 'catalog')) },
      }),
    });
  });
  afterAll(async () => {
    await faults?.close();
    await Promise.all([proxies.inventory?.close(), proxies.catalog?.close()]);
  });

  const catalog = () => [faults.system.services.catalog.baseUrl];

  it('parks what the consumer cannot apply within its retry budget, and `warren dlq replay` applies each message once', { timeout: 90_000 }, async () => {
    const { system, vhost } = faults;
    const lock = await lockTable(system.databaseUrl('inventory'), 'stock');
    let parked: string[];
    try {
      const writer = startWriter({ targets: catalog, prefix: `locked-${crypto.randomUUID().slice(0, 6)}` });
      await writer.acceptMore(6).finally(() => writer.stop());
      expect(writer.unexpected).toEqual([]);
      const accepted = [...writer.accepted.values()];
      for (const id of accepted) items.add(id);
      parked = await column(system.databaseUrl('catalog'), (sql) => sql<{ value: string }[]>`select id::text as value from outbox_messages where subject = any(${accepted})`);
      await waitFor(async () => (await parkedIds(vhost))[`${queue}.dlq`]?.length === parked.length, {
        description: 'every message written while stock was locked to be parked',
        timeoutMs: 30_000,
        intervalMs: 250,
      });
    } finally {
      await lock.release();
    }
    const dead = (await listParked(vhost)).filter((message) => message.queue === queue);
    expect(dead.map((message) => message.id).sort()).toEqual(parked);
    for (const message of dead) {
      expect(message).toMatchObject({ parkedBy: 'warren', attempts: retryDelaysMs.length + 1, error: expect.stringContaining('statement timeout') });
    }

    const replay = await runWarren(vhost, ['dlq', 'replay', '--queue', `${queue}.dlq`]);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toContain(`replayed ${parked.length} of ${parked.length} matching message(s)`);
    await assertInvariants(system, vhost, { items });
  });

  it('pauses a consumer whose database refuses connections, retrying and parking nothing, and catches up once it is back', { timeout: 90_000 }, async () => {
    const { system, vhost } = faults;
    const inventory = system.services.inventory;
    const consuming = async () => {
      const ready = (await (await fetch(`${inventory.baseUrl}/ready`)).json()) as { dependencies: Record<string, { status: string }> };
      return ready.dependencies['consumers']?.status === 'up';
    };
    const before = { retried: await consumed(inventory, queue, 'retried'), parked: await consumed(inventory, queue, 'dead_lettered') };
    await duringStream(
      'refused',
      items,
      async (writer) => {
        await proxies.inventory?.refuse();
        try {
          await waitFor(async () => !(await consuming()), { description: 'inventory to stop consuming', timeoutMs: 20_000 });
          // Events keep arriving in its queue while it waits for its database.
          await writer.acceptMore(20);
          const written = [...writer.accepted.values()];
          const published = () => column(system.databaseUrl('catalog'), (sql) => sql<{ value: string }[]>`select subject as value from outbox_messages where published_at is not null and subject = any(${written})`);
          await waitFor(async () => (await published()).length === written.length, { description: 'the writes so far to be published' });
          expect(await consuming()).toBe(false);
        } finally {
          await proxies.inventory?.accept();
        }
      },
      { targets: catalog },
    );

    await assertInvariants(system, vhost, { items });
    expect(inventory.logs.some((line) => line['msg'] === 'dependency answers again; consumption resumed')).toBe(true);
    expect(await consumed(inventory, queue, 'retried')).toBe(before.retried);
    expect(await consumed(inventory, queue, 'dead_lettered')).toBe(before.parked);
  });

  it('answers 503 problem+json, never 500, while the producer database refuses connections, and loses no write', { timeout: 90_000 }, async () => {
    const writer = await duringStream(
      'producer-refused',
      items,
      async (stream) => {
        await proxies.catalog?.refuse();
        try {
          await waitFor(() => (stream.answers.get('503') ?? 0) >= 10, { description: 'the edge to answer 503 while its database is away', timeoutMs: 20_000 });
        } finally {
          await proxies.catalog?.accept();
        }
      },
      { targets: catalog },
    );

    expect(writer.answers.get('503')).toBeGreaterThanOrEqual(10);
    expect(writer.answers.has('500')).toBe(false);
    await assertInvariants(faults.system, faults.vhost, { items });
  });
});
