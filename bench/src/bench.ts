// `npm run bench`: the subjects of BENCH_SUBJECTS (all by default) one after the other: the raw
// RabbitMQ baseline, the naive services, Warren at its defaults, tuned, and tuned with tracing
// on; prints the figures side by side as markdown tables and writes them to results/latest.json.
// See ../README.md.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { brokerAdminFrom, createVhost, detectBrokerAdmin, type BrokerAdmin } from '@warren/testing';
import { startBenchRun } from './bench-run.ts';
import { dropDatabases } from './cleanup.ts';
import { tracingServiceEnvironment } from './config.ts';
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

const { config, log, cleanup, run, prefix, seconds, cleanUpLeftovers, finish } = startBenchRun('bench');

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

await finish(async () => {
  const startedAt = new Date().toISOString();
  const machine = await describeMachine(config);
  const admin = brokerAdminFrom(await detectBrokerAdmin({ amqpUrl: config.amqpUrl, managementUrl: config.managementUrl }));
  log(`subjects: ${config.subjects.join(', ')}; vhosts through ${admin.spec.kind === 'management' ? 'the management API' : 'rabbitmqctl'}`);
  cleanUpLeftovers();
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
  results.totalSeconds = seconds();
  console.log(`\n${renderReport(results)}\n`);
  await mkdir(dirname(config.resultsFile), { recursive: true });
  await writeFile(config.resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  log(`wrote ${config.resultsFile}`);
});
