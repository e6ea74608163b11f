import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type ServiceProcess } from '@warren/testing';
import { startFaultSystem, type FaultSystem } from '../support/fault-system.ts';
import { assertInvariants } from '../support/invariants.ts';
import { consumed, counter } from '../support/metrics.ts';
import { crashOf, spawnInstance } from '../support/processes.ts';
import { duringStream } from '../support/stream.ts';

describe('producer crashes under a steady stream of writes', () => {
  let faults: FaultSystem;
  const items = new Set<string>();

  beforeAll(async () => {
    faults = await startFaultSystem('producer-crash');
  });
  afterAll(() => faults?.close());

  const catalog = () => [faults.system.services.catalog.baseUrl];

  /** Restarts the catalog with `failpoint` armed for its `after`-th hit, and returns the armed process. */
  async function armCatalog(failpoint: string, after: number): Promise<ServiceProcess> {
    await faults.system.services.catalog.stop();
    return faults.system.restart('catalog', { WARREN_FAILPOINT: failpoint, WARREN_FAILPOINT_AFTER: String(after) });
  }

  /** Waits for the armed catalog to kill itself, then starts a clean one. */
  async function crashAndRestart(armed: ServiceProcess): Promise<void> {
    expect((await crashOf(armed)).signal).toBe('SIGKILL');
    await faults.system.restart('catalog');
  }

  it('keeps one item per key when the producer dies before commit: the retry with the same key claims it afresh', { timeout: 90_000 }, async () => {
    const armed = await armCatalog('http.before-commit', 10);
    const writer = await duringStream('before-commit', items, () => crashAndRestart(armed), { targets: catalog });

    expect(writer.interrupted.size).toBeGreaterThan(0);
    for (const key of writer.interrupted) expect(writer.accepted.has(key), `interrupted write ${key} accepted on retry`).toBe(true);
    // The key was claimed in the transaction that died with the process: nothing was left to take over.
    expect(faults.system.services.catalog.logs.some((line) => line['msg'] === 'took over an expired idempotency lease')).toBe(false);
    await assertInvariants(faults.system, faults.vhost, { items });
  });

  it('publishes each row once more after a relay dies holding a claimed batch', { timeout: 90_000 }, async () => {
    const armed = await armCatalog('relay.after-claim', 5);
    await duringStream('after-claim', items, () => crashAndRestart(armed), { targets: catalog });

    await assertInvariants(faults.system, faults.vhost, { items });
  });

  it('republishes a batch the broker confirmed when the relay died before marking it, and the consumers drop the copies', { timeout: 90_000 }, async () => {
    const { inventory, audit } = faults.system.services;
    const duplicatesBefore = {
      inventory: await consumed(inventory, 'inventory.item-created', 'duplicate'),
      audit: await consumed(audit, 'audit.event-log', 'duplicate'),
    };
    const armed = await armCatalog('relay.after-confirm', 5);
    await duringStream('after-confirm', items, () => crashAndRestart(armed), { targets: catalog });

    await assertInvariants(faults.system, faults.vhost, { items });
    await waitFor(async () => (await consumed(inventory, 'inventory.item-created', 'duplicate')) > duplicatesBefore.inventory, { description: 'inventory to drop a republished event' });
    await waitFor(async () => (await consumed(audit, 'audit.event-log', 'duplicate')) > duplicatesBefore.audit, { description: 'audit to drop a republished event' });
  });

  it('shares the outbox between three relays, and between the two left when one is killed with SIGKILL mid-stream', { timeout: 90_000 }, async () => {
    const extras = [await spawnInstance(faults.system, 'catalog'), await spawnInstance(faults.system, 'catalog')];
    const [doomed, survivor] = extras as [ServiceProcess, ServiceProcess];
    const live = new Set([faults.system.services.catalog, doomed, survivor]);
    try {
      await duringStream(
        'three-relays',
        items,
        async (writer) => {
          await writer.acceptMore(20);
          await doomed.kill();
          live.delete(doomed);
        },
        { targets: () => [...live].map((service) => service.baseUrl), after: 20 },
      );
      await assertInvariants(faults.system, faults.vhost, { items });
      for (const relay of live) expect(await counter(relay, 'warren_messages_published_total'), `${relay.baseUrl} relay published`).toBeGreaterThan(0);
    } finally {
      await Promise.all(extras.map((extra) => extra.stop()));
    }
  });
});
