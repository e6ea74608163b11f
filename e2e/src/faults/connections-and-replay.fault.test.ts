import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infrastructure, serviceNames, waitFor } from '@warren/testing';
import { closeVhostConnections, vhostConnections } from '../support/broker.ts';
import { startFaultSystem, type FaultSystem } from '../support/fault-system.ts';
import { assertInvariants } from '../support/invariants.ts';
import { consumed } from '../support/metrics.ts';
import { withSql } from '../support/sql.ts';
import { duringStream } from '../support/stream.ts';
import { runWarren } from '../support/warren-cli.ts';

const handlers = { inventory: 'inventory.item-created', audit: 'audit.event-log' } as const;

describe('lost connections and archive replay under a steady stream of writes', () => {
  let faults: FaultSystem;
  const items = new Set<string>();

  beforeAll(async () => {
    faults = await startFaultSystem('connections');
  });
  afterAll(() => faults?.close());

  const catalog = () => [faults.system.services.catalog.baseUrl];

  /** Ends every session PostgreSQL has open on the system's three databases, and returns how many. */
  async function terminateSessions(): Promise<number> {
    const databases = serviceNames.map((service) => `${faults.prefix}_${service}`);
    return withSql(infrastructure().databaseUrl, async (sql) => {
      const ended = await sql<{ pid: number }[]>`
        select pg_terminate_backend(pid) as pid from pg_stat_activity where datname = any(${databases}) and pid <> pg_backend_pid()`;
      return ended.length;
    });
  }

  it('recovers from every broker connection of the vhost being force-closed mid-stream', { timeout: 90_000 }, async () => {
    const { system, vhost } = faults;
    await waitFor(async () => (await vhostConnections(vhost)).length >= serviceNames.length, { description: 'the services to show in the broker', timeoutMs: 60_000, intervalMs: 250 });
    await duringStream('connections-closed', items, async () => expect(await closeVhostConnections(vhost)).toBeGreaterThanOrEqual(serviceNames.length), { targets: catalog });

    await assertInvariants(system, vhost, { items });
    for (const service of serviceNames) {
      const logs = system.services[service].logs;
      expect(logs.some((line) => line['msg'] === 'broker connection lost; reconnecting'), `${service} lost its connection`).toBe(true);
      expect(logs.some((line) => line['msg'] === 'broker connected' && line['reconnect'] === true), `${service} reconnected`).toBe(true);
    }
  });

  it('loses nothing and answers no 500 when PostgreSQL terminates every session of the services mid-stream, twice', { timeout: 90_000 }, async () => {
    const { system, vhost } = faults;
    await duringStream(
      'sessions-terminated',
      items,
      async (writer) => {
        expect(await terminateSessions()).toBeGreaterThan(0);
        await writer.acceptMore(10);
        expect(await terminateSessions()).toBeGreaterThan(0);
      },
      { targets: catalog },
    );

    await assertInvariants(system, vhost, { items });
    // A transaction whose connection dropped must not take its process down (see @warren/service driver-faults).
    for (const service of serviceNames) {
      const { child } = system.services[service];
      expect({ service, code: child.exitCode, signal: child.signalCode }).toEqual({ service, code: null, signal: null });
    }
  });

  it('changes nothing when `warren archive replay` re-publishes events every consumer already applied', { timeout: 90_000 }, async () => {
    const { system, vhost } = faults;
    await duringStream('archive', items, async () => undefined, { targets: catalog });
    await assertInvariants(system, vhost, { items });
    const consumers = {
      inventory: { url: system.databaseUrl('inventory'), tables: ['stock', 'inbox_messages', 'outbox_messages'] },
      audit: { url: system.databaseUrl('audit'), tables: ['events', 'inbox_messages'] },
    };
    const snapshot = async () => {
      const rows: Record<string, unknown[]> = {};
      for (const [service, { url, tables }] of Object.entries(consumers)) {
        await withSql(url, async (sql) => {
          for (const table of tables) rows[`${service}.${table}`] = await sql.unsafe(`select * from "${table}" order by 1, 2`);
        });
      }
      return rows;
    };
    const before = await snapshot();
    const duplicatesBefore = {
      inventory: await consumed(system.services.inventory, handlers.inventory, 'duplicate'),
      audit: await consumed(system.services.audit, handlers.audit, 'duplicate'),
    };

    for (const [service, queue] of Object.entries(handlers) as ['inventory' | 'audit', string][]) {
      const replay = await runWarren(vhost, ['archive', 'replay', '--service', 'catalog', '--type', 'item.created', '--since', '2000-01-01T00:00:00Z', '--to-queue', queue], {
        CATALOG_DATABASE_URL: system.databaseUrl('catalog'),
      });
      expect(replay.code, replay.stderr).toBe(0);
      expect(replay.stdout).toContain(`published ${items.size} of ${items.size} archived event(s)`);
      await waitFor(async () => (await consumed(system.services[service], queue, 'duplicate')) - duplicatesBefore[service] === items.size, {
        description: `${service} to take every replayed event`,
        timeoutMs: 30_000,
      });
    }

    expect(await snapshot()).toEqual(before);
    await assertInvariants(system, vhost, { items });
  });
});
