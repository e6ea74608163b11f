// `npm run bench`: a raw RabbitMQ baseline, then Warren's three services end to end; prints the
// figures as markdown tables and writes them to results/latest.json. See ../README.md.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { brokerAdminFrom, createVhost, detectBrokerAdmin, startSystem } from '@warren/testing';
import { openDatabases } from './applied.ts';
import { createCleanup, dropDatabases, terminateChildren } from './cleanup.ts';
import { loadBenchConfig } from './config.ts';
import { describeMachine } from './machine.ts';
import { runFixedRate, runFullSpeed, warmUp, type PhaseContext } from './phases.ts';
import { runRawBaseline } from './raw-baseline.ts';
import { renderReport } from './report.ts';
import type { BenchResults, FixedRateResult } from './results.ts';
import { collectServiceWarnings, type ServiceWarnings } from './service-logs.ts';

const began = performance.now();
const log = (message: string): void => console.error(`[bench ${((performance.now() - began) / 1_000).toFixed(1).padStart(5)} s] ${message}`);

const config = loadBenchConfig();
const cleanup = createCleanup();
const onSignal = (signal: NodeJS.Signals): void => {
  log(`${signal}: cleaning up`);
  void cleanup.run().then(() => process.exit(130));
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

try {
  const startedAt = new Date().toISOString();
  const machine = await describeMachine(config);
  const admin = brokerAdminFrom(await detectBrokerAdmin({ amqpUrl: config.amqpUrl, managementUrl: config.managementUrl }));
  log(`vhosts through ${admin.spec.kind === 'management' ? 'the management API' : 'rabbitmqctl'}`);
  const rawVhost = await createVhost({ amqpUrl: config.amqpUrl, admin }, 'bench-raw');
  cleanup.add(`vhost ${rawVhost.name}`, () => rawVhost.delete());
  log(`raw baseline: ${config.rawMessages} messages on vhost ${rawVhost.name}`);
  const raw = await runRawBaseline({ url: rawVhost.url, messages: config.rawMessages, window: config.rawWindow, prefetch: config.rawPrefetch });
  await rawVhost.delete();
  log(`raw baseline: ${Math.round(raw.perSecond)} messages/s`);

  const run = randomBytes(4).toString('hex');
  const prefix = `bench_${run}`;
  cleanup.add('leftover services and databases', async () => {
    const pids = await terminateChildren();
    if (pids.length > 0) log(`stopped leftover processes ${pids.join(', ')}`);
    await dropDatabases(config.adminUrl, prefix);
  });
  const vhost = await createVhost({ amqpUrl: config.amqpUrl, admin }, 'bench');
  cleanup.add(`vhost ${vhost.name}`, () => vhost.delete());
  log(`starting audit, inventory and catalog (databases ${prefix}_*, vhost ${vhost.name})`);
  const system = await startSystem({ adminUrl: config.adminUrl, amqpUrl: vhost.url, prefix, env: config.serviceEnv });
  cleanup.add('services (SIGTERM) and their databases', () => system.close());
  const dbs = openDatabases((service) => system.databaseUrl(service));
  cleanup.add('benchmark database connections', () => dbs.close());

  const context: PhaseContext = { config, baseUrl: system.services.catalog.baseUrl, dbs, run, accepted: 0, log };
  const serviceWarnings: ServiceWarnings = {};
  await warmUp(context);
  collectServiceWarnings(system, serviceWarnings);
  const fullSpeed = await runFullSpeed(context);
  collectServiceWarnings(system, serviceWarnings);
  const fixedRate: FixedRateResult[] = [];
  for (const rate of config.rates) {
    fixedRate.push(await runFixedRate(context, rate));
    collectServiceWarnings(system, serviceWarnings);
  }

  const results: BenchResults = {
    startedAt,
    totalSeconds: (performance.now() - began) / 1_000,
    machine,
    settings: {
      seconds: config.seconds,
      concurrency: config.concurrency,
      rates: config.rates,
      openMaxInFlight: config.openMaxInFlight,
      lateThresholdMs: config.lateThresholdMs,
      serviceEnv: config.serviceEnv,
    },
    raw,
    fullSpeed,
    fixedRate,
    ratio: fullSpeed.appliedPerSecond / raw.perSecond,
    serviceWarnings,
  };
  console.log(`\n${renderReport(results)}\n`);
  await mkdir(dirname(config.resultsFile), { recursive: true });
  await writeFile(config.resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  log(`wrote ${config.resultsFile}`);
} catch (error) {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  const failures = await cleanup.run();
  for (const failure of failures) log(`cleanup failed: ${failure}`);
  if (failures.length > 0) process.exitCode = 1;
  log('cleaned up');
}
// A handle someone forgot must not keep the run alive: leave 5 s to exit on its own.
setTimeout(() => process.exit(), 5_000).unref();
