// `npm run bench`: the subjects of BENCH_SUBJECTS (all by default) one after the other: the raw
// RabbitMQ baseline, the naive services, Warren at its defaults, tuned, and tuned with tracing
// on; prints the figures side by side as markdown tables and writes them to results/latest.json.
// See ../README.md.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { brokerAdminFrom, createVhost, detectBrokerAdmin, type BrokerAdmin } from '@warren/testing';
import { createCleanup, dropDatabases, terminateChildren } from './cleanup.ts';
import { loadBenchConfig, tracingServiceEnvironment } from './config.ts';
import { describeMachine } from './machine.ts';
import { startNaive } from './naive/start-naive.ts';
import { measureSubject } from './phases.ts';
import { computeRatios } from './ratios.ts';
import { runRawBaseline } from './raw-baseline.ts';
import { renderReport } from './report.ts';
import type { BenchResults } from './results.ts';
import { subjectLabels, type RunningSubject, type SubjectResult, type SystemSubjectName } from './subject.ts';
import { startOtlpSink, type OtlpSink } from './tracing/sink.ts';
import { startWarren } from './warren-subject.ts';

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

const run = randomBytes(4).toString('hex');
const prefix = `bench_${run}`;

/** Starts one subject on a fresh vhost (and fresh databases), measures every phase, stops it. */
async function measure(admin: BrokerAdmin, name: SystemSubjectName): Promise<SubjectResult> {
  const vhost = await createVhost({ amqpUrl: config.amqpUrl, admin }, `bench-${name}`);
  cleanup.add(`vhost ${vhost.name}`, () => vhost.delete());
  let sink: OtlpSink | undefined;
  if (name === 'warren-tracing') {
    sink = await startOtlpSink();
    cleanup.add('OTLP sink', () => sink!.close());
  }
  const settings =
    name === 'naive' ? config.naiveEnv : name === 'warren-default' ? config.defaultEnv : name === 'warren-tuned' ? config.tunedEnv : tracingServiceEnvironment(config.tunedEnv, sink!.endpoint);
  const options = { adminUrl: config.adminUrl, amqpUrl: vhost.url, prefix: `${prefix}_${name.replace('-', '_')}`, env: settings };
  log(`${subjectLabels[name]}: starting (vhost ${vhost.name}, databases ${options.prefix}_*)`);
  const startedAt = performance.now();
  const subject: RunningSubject = name === 'naive' ? await startNaive(options) : await startWarren(options);
  const startSeconds = (performance.now() - startedAt) / 1_000;
  try {
    const phases = await measureSubject(subject, { config, run, log: (message) => log(`${subjectLabels[name]}: ${message}`) });
    const result: SubjectResult = { name, settings, startSeconds, ...phases };
    if (sink) result.otlp = await sink.stats();
    return result;
  } finally {
    await subject.close();
    await sink?.close();
    await vhost.delete();
    await dropDatabases(config.adminUrl, options.prefix);
  }
}

try {
  const startedAt = new Date().toISOString();
  const machine = await describeMachine(config);
  const admin = brokerAdminFrom(await detectBrokerAdmin({ amqpUrl: config.amqpUrl, managementUrl: config.managementUrl }));
  log(`subjects: ${config.subjects.join(', ')}; vhosts through ${admin.spec.kind === 'management' ? 'the management API' : 'rabbitmqctl'}`);
  cleanup.add('leftover processes and databases', async () => {
    const pids = await terminateChildren();
    if (pids.length > 0) log(`stopped leftover processes ${pids.join(', ')}`);
    await dropDatabases(config.adminUrl, prefix);
  });
  const results: BenchResults = {
    startedAt,
    totalSeconds: 0,
    machine,
    settings: {
      subjects: config.subjects,
      seconds: config.seconds,
      concurrency: config.concurrency,
      rates: config.rates,
      openMaxInFlight: config.openMaxInFlight,
      lateThresholdMs: config.lateThresholdMs,
      giveUpAfterMs: config.giveUpAfterMs,
    },
    subjects: {},
    ratios: [],
  };
  for (const name of config.subjects) {
    if (name === 'raw') {
      const rawVhost = await createVhost({ amqpUrl: config.amqpUrl, admin }, 'bench-raw');
      cleanup.add(`vhost ${rawVhost.name}`, () => rawVhost.delete());
      log(`raw baseline: ${config.rawMessages} messages on vhost ${rawVhost.name}`);
      results.raw = await runRawBaseline({ url: rawVhost.url, messages: config.rawMessages, window: config.rawWindow, prefetch: config.rawPrefetch });
      await rawVhost.delete();
      log(`raw baseline: ${Math.round(results.raw.perSecond)} messages/s`);
      continue;
    }
    const result = await measure(admin, name);
    results.subjects[name] = result;
    log(`${subjectLabels[name]}: ${Math.round(result.fullSpeed.appliedPerSecond)} events fully applied/s`);
  }
  results.ratios = computeRatios(results);
  results.totalSeconds = (performance.now() - began) / 1_000;
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
