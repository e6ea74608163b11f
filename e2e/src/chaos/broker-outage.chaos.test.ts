import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceNames, waitFor } from '@warren/testing';
import { startFaultSystem, type FaultSystem } from '../support/fault-system.ts';
import { assertInvariants } from '../support/invariants.ts';
import { chaosUnavailable, localRabbit } from '../support/local-servers.ts';
import { duringStream } from '../support/stream.ts';

const outageMs = 10_000;

describe('the broker stopped or cut off under a steady stream of writes', () => {
  let unavailable: string | undefined;
  let faults: FaultSystem | undefined;
  const items = new Set<string>();

  beforeAll(async () => {
    unavailable = await chaosUnavailable();
    if (!unavailable) faults = await startFaultSystem('chaos');
  });
  afterAll(async () => {
    if (unavailable) return;
    await localRabbit.ensureRunning();
    await faults?.close();
  });

  const reconnects = (service: (typeof serviceNames)[number]) =>
    (faults as FaultSystem).system.services[service].logs.filter((line) => line['msg'] === 'broker connected' && line['reconnect'] === true).length;

  it('keeps accepting writes while RabbitMQ is stopped for 10 s, and delivers each once after it is back', { timeout: 180_000 }, async (context) => {
    context.skip(unavailable !== undefined, unavailable);
    const { system, vhost } = faults as FaultSystem;
    let acceptedDuringOutage = 0;
    await duringStream(
      'broker-stopped',
      items,
      async (writer) => {
        await localRabbit.stopApp();
        try {
          const before = writer.accepted.size;
          // The outage itself: the edges keep taking writes into their outboxes all along.
          await new Promise((resolve) => setTimeout(resolve, outageMs));
          acceptedDuringOutage = writer.accepted.size - before;
        } finally {
          await localRabbit.startApp();
        }
        await waitFor(() => localRabbit.answers(), { description: 'RabbitMQ to answer', timeoutMs: 60_000, intervalMs: 500 });
      },
      { targets: () => [system.services.catalog.baseUrl], after: 20 },
    );

    expect(acceptedDuringOutage).toBeGreaterThan(20);
    await assertInvariants(system, vhost, { items, timeoutMs: 90_000 });
    for (const service of serviceNames) await waitFor(() => reconnects(service) > 0, { description: `${service} to reconnect`, timeoutMs: 30_000 });
  });

  it('recovers from every connection being force-closed (rabbitmqctl close_all_connections)', { timeout: 120_000 }, async (context) => {
    context.skip(unavailable !== undefined, unavailable);
    const { system, vhost } = faults as FaultSystem;
    const before = Object.fromEntries(serviceNames.map((service) => [service, reconnects(service)]));
    await duringStream('connections-closed', items, async () => void (await localRabbit.closeAllConnections('chaos')), {
      targets: () => [system.services.catalog.baseUrl],
      after: 20,
    });

    await assertInvariants(system, vhost, { items, timeoutMs: 60_000 });
    for (const service of serviceNames) {
      await waitFor(() => reconnects(service) > (before[service] ?? 0), { description: `${service} to reconnect`, timeoutMs: 30_000 });
    }
  });
});
