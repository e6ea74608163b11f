import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceNames, waitFor } from '@warren/testing';
import { startFaultSystem, type FaultSystem } from '../support/fault-system.ts';
import { assertInvariants } from '../support/invariants.ts';
import { chaosUnavailable, localPostgres } from '../support/local-servers.ts';
import { startProber } from '../support/prober.ts';
import { duringStream } from '../support/stream.ts';

const outageMs = 5_000;

describe('PostgreSQL restarted under a steady stream of writes', () => {
  let unavailable: string | undefined;
  let faults: FaultSystem | undefined;
  const items = new Set<string>();

  beforeAll(async () => {
    unavailable = await chaosUnavailable();
    if (!unavailable) faults = await startFaultSystem('pg-restart');
  });
  afterAll(async () => {
    if (unavailable) return;
    await localPostgres.ensureRunning();
    await faults?.close();
  });

  it('answers 503 problem+json and never 500 while PostgreSQL is down, and loses and doubles nothing once it is back', { timeout: 180_000 }, async (context) => {
    context.skip(unavailable !== undefined, unavailable);
    const { system, vhost } = faults as FaultSystem;
    const { catalog, inventory, audit } = system.services;
    const prober = startProber(() => [
      `${catalog.baseUrl}/api/v1/items?limit=1`,
      `${inventory.baseUrl}/api/v1/stock/${crypto.randomUUID()}`,
      `${audit.baseUrl}/api/v1/events?limit=1`,
    ]);
    let duringOutage = new Map<string, number>();
    try {
      await duringStream(
        'pg-restart',
        items,
        async (writer) => {
          await localPostgres.stop();
          try {
            const before = new Map(writer.answers);
            // The outage itself: writes keep coming for its whole length.
            await new Promise((resolve) => setTimeout(resolve, outageMs));
            duringOutage = new Map([...writer.answers].map(([status, count]) => [status, count - (before.get(status) ?? 0)]));
          } finally {
            await localPostgres.start();
          }
          await waitFor(() => localPostgres.answers(), { description: 'PostgreSQL to accept connections', timeoutMs: 60_000, intervalMs: 250 });
        },
        { targets: () => [catalog.baseUrl], after: 20, writeTimeoutMs: 90_000 },
      );
    } finally {
      await prober.stop();
    }

    expect(duringOutage.get('503'), `write answers while down: ${JSON.stringify([...duringOutage])}`).toBeGreaterThan(0);
    expect(duringOutage.get('201') ?? 0, 'no write accepted while the database was down').toBe(0);
    expect(prober.unexpected, 'read answers outside 200 / 404 / 503 problem+json').toEqual([]);
    expect(prober.answers.get('503'), 'reads answered 503 while down').toBeGreaterThan(0);
    await assertInvariants(system, vhost, { items, timeoutMs: 90_000 });
    for (const service of serviceNames) {
      const { child } = system.services[service];
      expect({ service, code: child.exitCode, signal: child.signalCode }).toEqual({ service, code: null, signal: null });
    }
  });
});
