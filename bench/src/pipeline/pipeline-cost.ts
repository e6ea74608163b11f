// CPU per message of the consumer pipeline alone: `node src/pipeline/pipeline-cost.ts [--profile]`.
// Realistic item.created.v2 deliveries (as amqplib hands them over from the events exchange) go
// through `toDelivery` and `consumerPipeline` exactly as the RabbitMQ subscriber and startService
// run them: the services' metrics observer, a dependency guard, the retry policy, and a logger at
// level info writing to a discarding stream, around a handler that applies at once (no database).
// Prefetch-sized windows are in flight at once, as on a channel with prefetch 32. No broker: what
// it measures is the pipeline, not a transport.
//
// Besides the whole pipeline it measures the stages cumulatively (the differences are each
// stage's share), alternating the variants over several rounds and printing medians, since the
// machine is shared. `--profile` also samples the whole pipeline with the V8 profiler and prints
// where its self time went, by file of Warren's packages and by library.
//
// The figures come in two modes from one process to the next, about 3 µs/message apart for the
// same code: V8 sizes the young generation as it goes, and a run whose young generation stayed
// small spends that much more on scavenges. To compare code, pin its size (the runs then agree
// with the faster mode):
//   node --min-semi-space-size=16 --max-semi-space-size=16 src/pipeline/pipeline-cost.ts
// Settings: PIPELINE_MESSAGES (50000), PIPELINE_ROUNDS (5), PIPELINE_WINDOW (32).
import { Session } from 'node:inspector/promises';
import { Writable } from 'node:stream';
import { itemCreatedV2 } from '@warren/contracts';
import {
  consumerPipeline,
  decodeDelivery,
  envelopeOf,
  eventProperties,
  retryPolicy,
  toDelivery,
  type ConsumerDefinition,
  type ConsumerOptions,
  type DeliveryControl,
  type DeliveryHandler,
  type TransportMessage,
} from '@warren/messaging';
import { createLogger, createMetricsRegistry, metricObservers } from '@warren/telemetry';

const messages = Number(process.env['PIPELINE_MESSAGES'] ?? 50_000);
const rounds = Number(process.env['PIPELINE_ROUNDS'] ?? 5);
const window = Number(process.env['PIPELINE_WINDOW'] ?? 32);
const queue = 'inventory.item-created';

const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
const logger = createLogger({ service: 'inventory', level: 'info', destination: discard }).child({ queue });
const observer = metricObservers(createMetricsRegistry({ service: 'inventory' })).consumer;
const consumer: ConsumerDefinition = { queue, events: [itemCreatedV2], handle: async () => 'applied' };
const control: DeliveryControl = {
  send: () => Promise.reject(new Error('no copy is sent in this benchmark')),
  pause: () => {
    throw new Error('nothing pauses in this benchmark');
  },
};
// As startService passes them (RETRY_DELAYS_MS and DELIVERY_LIMIT at their defaults).
const services: ConsumerOptions = {
  logger,
  retry: retryPolicy({ delaysMs: [1_000, 5_000, 30_000], deliveryLimit: 10 }),
  dependency: { isDown: () => false, probe: async () => {} },
  observer,
};

/**
 * One delivery as amqplib hands it over: the relay's properties and headers, a fresh event each.
 * Built with `envelopeOf`, not `createEnvelope`: 50,000 envelopes parsed by zod here, all kept,
 * teach V8 to allocate zod's parse results straight in the old generation (allocation-site
 * pretenuring), and every delivery measured afterwards would pay a full collection for them.
 */
function transportMessage(index: number): TransportMessage {
  const id = crypto.randomUUID();
  const envelope = envelopeOf({
    definition: itemCreatedV2,
    sourceService: 'catalog',
    subject: id,
    data: { id, name: `Lamp ${index}`, sku: `LAMP-${index}`, category: 'lighting', priceCents: 1_999, createdAt: new Date().toISOString() },
  });
  const properties = eventProperties({
    envelope,
    routingKey: itemCreatedV2.routingKey,
    headers: {
      correlation_id: crypto.randomUUID(),
      source_service: 'catalog',
      idempotency_key: crypto.randomUUID(),
      traceparent: `00-${crypto.randomUUID().replaceAll('-', '')}-${crypto.randomUUID().slice(0, 16).replaceAll('-', '0')}-01`,
    },
  });
  return {
    content: Buffer.from(JSON.stringify(envelope)),
    fields: { exchange: 'events', routingKey: itemCreatedV2.routingKey, redelivered: false },
    properties,
  };
}

const deliveries = Array.from({ length: messages }, (_, index) => transportMessage(index));

type Run = (message: TransportMessage) => Promise<unknown>;

/** What the subscriber does per delivery with `handle` (settling aside); fails unless applied. */
function throughPipeline(handle: DeliveryHandler): Run {
  return async (message) => {
    const settlement = await handle(toDelivery(queue, message));
    if (settlement.result !== 'applied') throw new Error(`expected applied, got ${settlement.result}`);
  };
}

const variants: { name: string; run: Run }[] = [
  { name: 'toDelivery', run: async (message) => toDelivery(queue, message) },
  { name: '+ decode (JSON, envelope, data)', run: async (message) => decodeDelivery(toDelivery(queue, message).raw, consumer.events, 'tolerant') },
  { name: '+ tracing, retry-or-park, crash-loop guard', run: throughPipeline(consumerPipeline(consumer, { logger, retry: services.retry }, control)) },
  { name: '+ pause-while-unavailable', run: throughPipeline(consumerPipeline(consumer, { ...services, observer: undefined }, control)) },
  { name: '+ metrics (as the services run it)', run: throughPipeline(consumerPipeline(consumer, services, control)) },
];

/** Microseconds of CPU (user + system) per message for one pass over every delivery. */
async function pass(run: Run): Promise<number> {
  const before = process.cpuUsage();
  for (let start = 0; start < deliveries.length; start += window) {
    await Promise.all(deliveries.slice(start, start + window).map(run));
  }
  const spent = process.cpuUsage(before);
  return (spent.user + spent.system) / deliveries.length;
}

function median(values: number[]): number {
  const sorted = values.toSorted((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Self time of a V8 CPU profile by Warren source file or by package, largest first. */
function selfTimeByOwner(profile: { nodes: { id: number; callFrame: { url: string; functionName: string } }[]; samples?: number[]; timeDeltas?: number[] }) {
  const owners = new Map(profile.nodes.map((node) => [node.id, ownerOf(node.callFrame.url, node.callFrame.functionName)]));
  const totals = new Map<string, number>();
  profile.samples?.forEach((id, index) => {
    const owner = owners.get(id) ?? '(unknown)';
    // The profiler's own round trips run on this thread too; they are no part of the pipeline.
    if (owner === 'node:inspector') return;
    totals.set(owner, (totals.get(owner) ?? 0) + (profile.timeDeltas?.[index] ?? 0));
  });
  const all = [...totals.values()].reduce((sum, value) => sum + value, 0);
  return [...totals].toSorted((a, b) => b[1] - a[1]).map(([owner, time]) => ({ owner, share: time / all }));
}

function ownerOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url === 'node:inspector') return url;
  if (url.startsWith('node:')) return 'node internals';
  const library = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (library) return library[1] ?? url;
  const own = /\/(packages|contracts|apps|bench)\/(.+)$/.exec(url);
  return own ? `${own[1]}/${own[2]}` : url;
}

for (const variant of variants) await pass(variant.run); // warm-up: JIT, inline caches
const samples = new Map<string, number[]>(variants.map((variant) => [variant.name, []]));
for (let round = 0; round < rounds; round += 1) {
  for (const variant of variants) samples.get(variant.name)?.push(await pass(variant.run));
}

console.log(`${messages} item.created.v2 deliveries, ${window} in flight, median of ${rounds} rounds (µs of CPU per message)\n`);
console.log('| stages | µs/message | this stage |\n| --- | ---: | ---: |');
let previous = 0;
for (const variant of variants) {
  const value = median(samples.get(variant.name) ?? []);
  console.log(`| ${variant.name} | ${value.toFixed(2)} | ${(value - previous).toFixed(2)} |`);
  previous = value;
}

if (process.argv.includes('--profile')) {
  const full = variants.at(-1);
  if (!full) throw new Error('no variant to profile');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  await pass(full.run);
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  console.log('\nSelf time of the whole pipeline, by file or package (top 20)\n\n| where | share |\n| --- | ---: |');
  for (const { owner, share } of selfTimeByOwner(profile).slice(0, 20)) console.log(`| ${owner} | ${(share * 100).toFixed(1)} % |`);
}
