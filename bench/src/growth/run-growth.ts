// `BENCH_MODE=growth npm run bench`: what Warren costs as its work grows. Archive size (the write,
// the relay's claim and the retention run with an empty outbox and with millions of published
// rows kept), payload size, catalog instances and consumer prefetch. Prints markdown tables and
// writes results/growth.json. See ../../README.md.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { brokerAdminFrom, createVhost, detectBrokerAdmin } from '@warren/testing';
import { startBenchRun } from '../bench-run.ts';
import { dropDatabases } from '../cleanup.ts';
import { measureArchive } from './archive.ts';
import { growthSettings } from './settings.ts';
import { runPayloadPhase } from './payload.ts';
import { renderGrowthReport, type GrowthResults } from './report.ts';
import { addCatalog, runScalePhase, startGrowthSystem, warmUpGrowth, type GrowthSystem } from './scale.ts';

const { config, log, cleanup, run, prefix, seconds, cleanUpLeftovers, finish } = startBenchRun('growth');
const growth = growthSettings();
const results: GrowthResults = {};

/** Starts Warren (tuned, with `env` on top) on a fresh vhost and databases, runs `measure`, stops it. */
async function withSystem<T>(name: string, env: Record<string, string>, measure: (running: GrowthSystem) => Promise<T>): Promise<T> {
  const admin = brokerAdminFrom(await detectBrokerAdmin({ amqpUrl: config.amqpUrl, managementUrl: config.managementUrl }));
  const vhost = await createVhost({ amqpUrl: config.amqpUrl, admin }, `bench-growth-${name}`);
  cleanup.add(`vhost ${vhost.name}`, () => vhost.delete());
  const databases = `${prefix}_${name}`;
  log(`${name}: starting Warren (${Object.entries(env).map(([key, value]) => `${key}=${value}`).join(' ') || 'tuned'})`);
  const running = await startGrowthSystem({ adminUrl: config.adminUrl, amqpUrl: vhost.url, prefix: databases, env: { ...config.tunedEnv, ...env } });
  try {
    await warmUpGrowth(running, `${run}-${name}-warm`, config.applyTimeoutMs);
    return await measure(running);
  } finally {
    await running.close();
    await vhost.delete();
    await dropDatabases(config.adminUrl, databases);
  }
}

const phase = { concurrency: config.concurrency, seconds: config.seconds, applyTimeoutMs: config.applyTimeoutMs };

await finish(async () => {
  cleanUpLeftovers();
  log(`parts: ${growth.parts.join(', ')}`);
  if (growth.parts.includes('archive')) {
    results.archive = await measureArchive({
      adminUrl: config.adminUrl,
      database: `${prefix}_archive`,
      archivedRows: growth.archivedRows,
      dueRows: growth.dueRows,
      writes: 500,
      claims: 50,
      claimLimit: Number(config.tunedEnv['RELAY_BATCH_SIZE'] ?? 100),
      log,
    });
    await dropDatabases(config.adminUrl, `${prefix}_archive`);
  }
  if (growth.parts.includes('payload') || growth.parts.includes('instances')) {
    await withSystem('scale', {}, async (running) => {
      if (growth.parts.includes('instances')) {
        results.instances = [await runScalePhase(running, { label: '1 catalog', skuPrefix: `${run}-one`, ...phase })];
        log(`1 catalog: ${Math.round(results.instances[0]!.appliedPerSecond)} applied/s`);
      }
      if (growth.parts.includes('payload')) {
        results.payload = [];
        for (const kilobytes of growth.payloadKilobytes) {
          const measured = await runPayloadPhase(running, { dataBytes: kilobytes * 1_024, rate: growth.payloadRate, skuPrefix: `${run}-kb${kilobytes}`, seconds: config.seconds, applyTimeoutMs: config.applyTimeoutMs });
          results.payload.push(measured);
          log(`payload ${kilobytes} KB: p99 ${measured.endToEnd.bothMs.p99.toFixed(1)} ms`);
        }
      }
      if (growth.parts.includes('instances')) {
        await addCatalog(running);
        results.instances?.push(await runScalePhase(running, { label: '2 catalogs', skuPrefix: `${run}-two`, ...phase }));
        log(`2 catalogs: ${Math.round(results.instances?.[1]?.appliedPerSecond ?? Number.NaN)} applied/s`);
      }
    });
  }
  if (growth.parts.includes('prefetch')) {
    results.prefetch = [];
    for (const prefetch of growth.prefetches) {
      const measured = await withSystem(`prefetch${prefetch}`, { CONSUMER_PREFETCH: String(prefetch) }, (running) =>
        runScalePhase(running, { label: `prefetch ${prefetch}`, skuPrefix: `${run}-pf${prefetch}`, ...phase }),
      );
      results.prefetch.push(measured);
      log(`prefetch ${prefetch}: ${Math.round(measured.appliedPerSecond)} applied/s`);
    }
  }
  const totalSeconds = seconds();
  console.log(`\n${renderGrowthReport(results, totalSeconds)}\n`);
  await mkdir(dirname(growth.resultsFile), { recursive: true });
  await writeFile(growth.resultsFile, `${JSON.stringify({ startedAt: new Date(performance.timeOrigin).toISOString(), totalSeconds, settings: growth, ...results }, null, 2)}\n`);
  log(`wrote ${growth.resultsFile}`);
});
