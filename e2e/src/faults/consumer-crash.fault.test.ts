import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type ServiceName, type ServiceProcess } from '@warren/testing';
import { itemCreatedEvent, publishEvent } from '../support/broker.ts';
import { startFaultSystem, type FaultSystem } from '../support/fault-system.ts';
import { assertInvariants, type ExtraEvent } from '../support/invariants.ts';
import { consumed } from '../support/metrics.ts';
import { crashOf, spawnInstance } from '../support/processes.ts';
import { duringStream } from '../support/stream.ts';

const handlers = { inventory: 'inventory.item-created', audit: 'audit.event-log' } as const;

describe('consumer crashes and duplicate deliveries under a steady stream of writes', () => {
  let faults: FaultSystem;
  const items = new Set<string>();
  const extra: ExtraEvent[] = [];

  beforeAll(async () => {
    faults = await startFaultSystem('consumer-crash');
  });
  afterAll(() => faults?.close());

  const catalog = () => [faults.system.services.catalog.baseUrl];
  const expected = () => ({ items, extra: { inventory: extra, audit: extra } });

  /** Restarts a consumer with `failpoint` armed for its `after`-th hit, and returns the armed process. */
  async function arm(service: ServiceName, failpoint: string, after: number): Promise<ServiceProcess> {
    await faults.system.services[service].stop();
    return faults.system.restart(service, { WARREN_FAILPOINT: failpoint, WARREN_FAILPOINT_AFTER: String(after) });
  }

  async function crashAndRestart(service: ServiceName, armed: ServiceProcess): Promise<void> {
    expect((await crashOf(armed)).signal).toBe('SIGKILL');
    await faults.system.restart(service);
  }

  it('drops the redelivery of an event the consumer committed but died before acking', { timeout: 90_000 }, async () => {
    const armed = await arm('inventory', 'consumer.after-commit', 8);
    await duringStream('after-commit', items, () => crashAndRestart('inventory', armed), { targets: catalog });

    await assertInvariants(faults.system, faults.vhost, expected());
    // The delivery it committed and never acked came back to the new process, which skipped it.
    expect(await consumed(faults.system.services.inventory, handlers.inventory, 'duplicate')).toBeGreaterThan(0);
  });

  it('applies an event once after its consumer died mid-transaction, the inbox row rolled back with it', { timeout: 90_000 }, async () => {
    const armed = await arm('audit', 'inbox.mid-transaction', 8);
    await duringStream('mid-transaction', items, () => crashAndRestart('audit', armed), { targets: catalog });

    await assertInvariants(faults.system, faults.vhost, expected());
  });

  it('loses and doubles nothing when both consumers are killed with SIGKILL mid-stream', { timeout: 90_000 }, async () => {
    await duringStream(
      'kill-consumers',
      items,
      async (writer) => {
        await faults.system.services.inventory.kill();
        await writer.acceptMore(5);
        await faults.system.services.audit.kill();
        await faults.system.restart('inventory');
        await faults.system.restart('audit');
      },
      { targets: catalog },
    );

    await assertInvariants(faults.system, faults.vhost, expected());
  });

  it('applies once each event delivered twice at the same moment to two instances of a consumer', { timeout: 90_000 }, async () => {
    const first = faults.system.services.inventory;
    const second = await spawnInstance(faults.system, 'inventory');
    try {
      const instances = [first, second];
      const count = (result: string) => Promise.all(instances.map((instance) => consumed(instance, handlers.inventory, result)));
      const [appliedBefore, duplicatesBefore] = [await count('applied'), await count('duplicate')];
      const events = Array.from({ length: 30 }, () => itemCreatedEvent('twice'));
      extra.push(...events.map((event) => ({ id: event.envelope.id, subject: event.envelope.subject })));
      const writer = await duringStream(
        'twice',
        items,
        async () => {
          // Both copies are in the queue together; the two instances take alternate deliveries.
          for (const event of events) await Promise.all([publishEvent(faults.vhost, event), publishEvent(faults.vhost, event)]);
        },
        { targets: catalog },
      );

      await assertInvariants(faults.system, faults.vhost, expected());
      const delta = async (result: string, before: number[]) => (await count(result)).map((value, index) => value - (before[index] ?? 0));
      const duplicates = await waitFor(async () => {
        const now = await delta('duplicate', duplicatesBefore);
        return now.reduce((sum, value) => sum + value, 0) >= events.length ? now : undefined;
      }, { description: 'both copies of every event consumed' });
      const applied = await delta('applied', appliedBefore);
      expect(applied.reduce((sum, value) => sum + value, 0)).toBe(events.length + writer.accepted.size);
      expect(duplicates.reduce((sum, value) => sum + value, 0)).toBe(events.length);
      for (const [index, instance] of instances.entries()) {
        expect(applied[index], `${instance.baseUrl} applied some`).toBeGreaterThan(0);
        expect(duplicates[index], `${instance.baseUrl} skipped some copies`).toBeGreaterThan(0);
      }
    } finally {
      await second.stop();
    }
  });
});
