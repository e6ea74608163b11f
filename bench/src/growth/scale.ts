import { spawnService, startSystem, type RunningSystem, type ServiceProcess } from '@warren/testing';
import { waitUntilApplied } from '../applied.ts';
import { runClosedLoop, type ClosedLoopResult } from '../closed-loop.ts';
import { perSecond } from '../stats.ts';
import type { EndToEndLatency } from '../end-to-end.ts';
import { warrenProbe } from '../warren-probe.ts';

/** Warren's three services with any extra catalog instances, and a probe of their databases. */
export interface GrowthSystem {
  system: RunningSystem;
  catalogs: ServiceProcess[];
  probe: ReturnType<typeof warrenProbe>;
  /** 201s since it started, for `waitUntilApplied`. */
  accepted: number;
  close(): Promise<void>;
}

export interface GrowthSystemOptions {
  adminUrl: string;
  amqpUrl: string;
  prefix: string;
  env: Record<string, string>;
}

/** Starts the system as `npm start` runs each service (one catalog), with a probe of its databases. */
export async function startGrowthSystem({ adminUrl, amqpUrl, prefix, env }: GrowthSystemOptions): Promise<GrowthSystem> {
  const system = await startSystem({ adminUrl, amqpUrl, prefix, env });
  const probe = warrenProbe((service) => system.databaseUrl(service));
  const catalogs = [system.services.catalog];
  return {
    system,
    catalogs,
    probe,
    accepted: 0,
    async close() {
      await probe.close();
      await Promise.all(catalogs.slice(1).map((catalog) => catalog.stop()));
      await system.close();
    },
  };
}

/** Starts one more catalog process on the same database and vhost (its own port and relay). */
export async function addCatalog(running: GrowthSystem): Promise<void> {
  // PORT 0: the system's catalog keeps the port it was given up front.
  running.catalogs.push(await spawnService('catalog', { env: { ...running.system.envOf('catalog'), PORT: '0' } }));
}

export interface ScaleResult {
  label: string;
  acceptedPerSecond: number;
  httpP99Ms: number;
  appliedPerSecond: number;
  endToEnd: EndToEndLatency;
}

/**
 * Full speed against every catalog instance at once: `concurrency` clients split evenly between
 * them (each instance gets its own keep-alive pool, so the load alternates between them), then
 * waits until both consumers applied everything.
 */
export async function runScalePhase(running: GrowthSystem, { label, concurrency, seconds, skuPrefix, applyTimeoutMs }: { label: string; concurrency: number; seconds: number; skuPrefix: string; applyTimeoutMs: number }): Promise<ScaleResult> {
  const share = Math.max(1, Math.round(concurrency / running.catalogs.length));
  const loads: ClosedLoopResult[] = await Promise.all(
    running.catalogs.map((catalog, index) => runClosedLoop({ baseUrl: catalog.baseUrl, concurrency: share, durationMs: seconds * 1_000, skuPrefix: `${skuPrefix}-i${index}` })),
  );
  const accepted = loads.reduce((sum, load) => sum + load.accepted, 0);
  running.accepted += accepted;
  await waitUntilApplied(running.probe, { accepted: running.accepted, timeoutMs: applyTimeoutMs });
  const endToEnd = await running.probe.endToEnd(skuPrefix);
  const firstSend = Math.min(...loads.map((load) => load.firstSendEpochMs));
  const elapsedMs = Math.max(...loads.map((load) => load.elapsedMs));
  return {
    label,
    acceptedPerSecond: perSecond(accepted, elapsedMs),
    httpP99Ms: Math.max(...loads.map((load) => load.latencyMs.p99)),
    appliedPerSecond: perSecond(accepted, endToEnd.lastAppliedEpochMs - firstSend),
    endToEnd,
  };
}

/** A short burst, awaited until applied, so the measured phases start warm. */
export async function warmUpGrowth(running: GrowthSystem, skuPrefix: string, applyTimeoutMs: number): Promise<void> {
  const load = await runClosedLoop({ baseUrl: running.catalogs[0]!.baseUrl, concurrency: 16, durationMs: 2_000, skuPrefix });
  running.accepted += load.accepted;
  await waitUntilApplied(running.probe, { accepted: running.accepted, timeoutMs: applyTimeoutMs });
}
