import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import amqp from 'amqplib';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { perSecond, summarize, type Summary } from './stats.ts';
import { withTimeout } from './timeout.ts';

export interface RawBaselineOptions {
  /** AMQP URL of a fresh vhost, used by this baseline alone. */
  url: string;
  messages: number;
  /** Publishes awaiting their confirm at most. */
  window: number;
  prefetch: number;
  timeoutMs?: number;
}

export interface RawBaselineResult {
  messages: number;
  bodyBytes: number;
  window: number;
  prefetch: number;
  elapsedMs: number;
  perSecond: number;
  latencyMs: Summary;
}

const queue = 'bench.raw';
// The publish time leads the body so that the consumer reads it without parsing the JSON.
const head = '{"sentAt":';
const comma = 0x2c;
const tail = `,"type":"bench.raw","version":1,"source_service":"bench","subject":"raw","data":{"pad":"${'x'.repeat(200)}"}}`;

function consumeAll(channel: Channel, messages: number, latencies: Float64Array): Promise<number> {
  let received = 0;
  return new Promise((resolve, reject) => {
    channel.on('close', () => reject(new Error(`consumer channel closed after ${received} of ${messages} messages`)));
    const onMessage = (message: ConsumeMessage | null): void => {
      if (!message) return;
      const { content } = message;
      const sentAt = Number(content.toString('latin1', head.length, content.indexOf(comma, head.length)));
      channel.ack(message);
      if (received < messages) latencies[received] = performance.now() - sentAt;
      if (++received === messages) resolve(performance.now());
    };
    channel.consume(queue, onMessage, { noAck: false }).catch(reject);
  });
}

async function publishAll(connection: ChannelModel, messages: number, window: number): Promise<number> {
  const channel = await connection.createConfirmChannel();
  let outstanding = 0;
  let failure: unknown;
  let room: (() => void) | undefined;
  const confirmed = (error: unknown): void => {
    outstanding--;
    if (error) failure ??= error;
    const wake = room;
    room = undefined;
    wake?.();
  };
  const startedAt = performance.now();
  for (let seq = 0; seq < messages; seq++) {
    while (outstanding >= window) await new Promise<void>((resolve) => (room = resolve));
    if (failure) throw new Error('the broker nacked a baseline message', { cause: failure });
    outstanding++;
    const content = Buffer.from(`${head}${performance.now()}${tail}`, 'latin1');
    if (!channel.publish('', queue, content, { persistent: true, contentType: 'application/json' }, confirmed)) await once(channel, 'drain');
  }
  await channel.waitForConfirms();
  await channel.close();
  return startedAt;
}

/**
 * Publishes `messages` persistent ~300-byte JSON messages to a durable quorum queue on the vhost
 * of `url` (confirm channel, at most `window` unconfirmed) while a consumer with manual acks and
 * `prefetch` drains it. Measures first publish to last ack, and publish to delivery per message.
 * Closes its connections, also on failure; the caller deletes the vhost.
 */
export async function runRawBaseline(options: RawBaselineOptions): Promise<RawBaselineResult> {
  const { messages, window, prefetch, timeoutMs = 60_000 } = options;
  const connections: ChannelModel[] = [];
  try {
    const publisher = await amqp.connect(options.url);
    connections.push(publisher);
    const consumer = await amqp.connect(options.url);
    connections.push(consumer);
    const setup = await publisher.createChannel();
    await setup.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await setup.close();
    const channel = await consumer.createChannel();
    await channel.prefetch(prefetch);
    const latencies = new Float64Array(messages);
    const consumed = consumeAll(channel, messages, latencies);
    const [startedAt, lastAckAt] = await withTimeout(Promise.all([publishAll(publisher, messages, window), consumed]), timeoutMs, 'the raw baseline');
    const elapsedMs = lastAckAt - startedAt;
    return {
      messages,
      bodyBytes: head.length + String(performance.now()).length + tail.length,
      window,
      prefetch,
      elapsedMs,
      perSecond: perSecond(messages, elapsedMs),
      latencyMs: summarize(latencies),
    };
  } finally {
    for (const connection of connections) await connection.close().catch(() => undefined);
  }
}
