import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { itemCreatedV1 } from '@warren/contracts';
import { createLogger } from '@warren/telemetry';
import { queueNames, type TopologySpec } from './amqp/topology.ts';
import type { ConsumerDefinition } from './consumer.ts';
import { createEnvelope } from './envelope.ts';
import { PermanentError, UnroutableError } from './errors.ts';
import { failureHeader } from './failure-headers.ts';
import type { ConsumedMessage, OutgoingMessage } from './message.ts';
import type { TransportMessage } from './pipeline/delivery.ts';
import type { Publisher } from './publisher.ts';
import { retryPolicy, type RetryPolicy } from './retry-policy.ts';
import { runConsumer, type ConsumerOptions } from './router.ts';
import type { Subscriber, SubscriberTransport } from './transport.ts';

/** One transport, started for one test with the test's own topology. */
export interface TransportUnderTest {
  publisher: Publisher;
  transport: SubscriberTransport;
  /** Drops the consumers' connections as a network failure would: unsettled deliveries return. */
  crash: () => Promise<void>;
  /** Takes the messages waiting in `queue`. */
  take: (queue: string) => Promise<TransportMessage[]>;
  close: () => Promise<void>;
}

export type StartTransport = (topology: TopologySpec) => Promise<TransportUnderTest>;

const logger = createLogger({ service: 'transport-contract', level: 'silent' });
const exchange = 'events';
const patience = { timeout: 30_000, interval: 20 };

/** A deferred the test releases: holds a handler mid-flight. */
function gate(): { opened: Promise<void>; open(): void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/**
 * The behaviour every transport must have, run against RabbitMQ (transport-amqp.int.test.ts) and
 * the in-memory broker (transport-memory.unit.test.ts) with the real consumer pipeline between
 * them and a handler. Each test declares its own queue, bound to a routing key of its own.
 */
export function transportContract(start: StartTransport): void {
  let running: TransportUnderTest | undefined;
  let subscribers: Subscriber[] = [];
  let serial = 0;
  let queue = '';
  let routingKey = '';

  beforeEach(() => {
    serial += 1;
    const tag = `${process.pid}-${Date.now().toString(36)}-${serial}`;
    queue = `contract.${tag}`;
    routingKey = `contract.${tag}.item.created.v1`;
  });

  afterEach(async () => {
    await Promise.all(subscribers.map((subscriber) => subscriber.close()));
    subscribers = [];
    await running?.close();
    running = undefined;
  });

  const itemCreated = (subject: string, name = 'Lamp'): OutgoingMessage => ({
    envelope: createEnvelope({
      definition: itemCreatedV1,
      sourceService: 'catalog',
      subject,
      data: { id: subject, name, sku: `SKU-${subject.slice(0, 8)}`, priceCents: 100, createdAt: new Date().toISOString() },
    }),
    routingKey,
    headers: { correlation_id: `corr-${subject}`, source_service: 'catalog' },
  });

  async function startWith(handle: ConsumerDefinition['handle'], options: Partial<ConsumerOptions> & { retry?: RetryPolicy } = {}) {
    const retry = options.retry ?? retryPolicy();
    const consumer: ConsumerDefinition = { queue, events: [itemCreatedV1], bindings: [routingKey], handle };
    const started = await start({ exchange, queues: [{ queue, bindings: [routingKey], retryDelaysMs: retry.delaysMs, deliveryLimit: retry.deliveryLimit ?? 20 }] });
    running = started;
    const subscriber = await runConsumer(started.transport, consumer, { logger, ...options, retry });
    subscribers.push(subscriber);
    return { ...started, subscriber };
  }

  it('confirms each publish and delivers every event to the bound queue', async () => {
    const seen: ConsumedMessage[] = [];
    const { publisher } = await startWith(async (message) => void seen.push(message));
    const events = [itemCreated(crypto.randomUUID()), itemCreated(crypto.randomUUID()), itemCreated(crypto.randomUUID())];
    expect(await publisher.publish(events)).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    await vi.waitFor(() => expect(seen).toHaveLength(3), patience);
    expect(seen.map((message) => message.envelope.id).sort()).toEqual(events.map((event) => event.envelope.id).sort());
    expect(seen[0]).toMatchObject({ queue, routingKey, attempt: 1, redelivered: false });
    expect(seen[0]?.headers['correlation_id']).toBe(seen[0]?.correlationId);
  });

  it('fails a publish that no queue is bound for (returned as unroutable), and only that one', async () => {
    const { publisher } = await startWith(async () => undefined);
    const [routed, unroutable] = await publisher.publish([itemCreated(crypto.randomUUID()), { ...itemCreated(crypto.randomUUID()), routingKey: `${routingKey}.unbound` }]);
    expect(routed).toEqual({ ok: true });
    expect(unroutable?.ok).toBe(false);
    expect(unroutable?.ok === false && unroutable.error).toBeInstanceOf(UnroutableError);
  });

  it('acks only after the handler resolved: a connection lost meanwhile delivers the message again', async () => {
    const held = gate();
    const calls: boolean[] = [];
    const { publisher, crash, take } = await startWith(async (message) => {
      calls.push(message.redelivered);
      if (calls.length === 1) await held.opened;
    });
    await publisher.publish([itemCreated(crypto.randomUUID())]);
    await vi.waitFor(() => expect(calls).toHaveLength(1), patience);
    await crash();
    await vi.waitFor(() => expect(calls).toEqual([false, true]), patience);
    held.open();
    // Nothing is left in the queue once the redelivery was acked.
    await vi.waitFor(async () => expect(await take(queue)).toEqual([]), patience);
    expect(calls).toHaveLength(2);
  });

  it('delivers a message returned to its queue again, flagged as redelivered', async () => {
    const seen: boolean[] = [];
    const { publisher } = await startWith(
      async (message) => {
        seen.push(message.redelivered);
        if (seen.length === 1) throw new Error('database is down');
      },
      { dependency: { isDown: (error) => error instanceof Error && error.message === 'database is down', probe: async () => undefined, minDelayMs: 10, maxDelayMs: 10 } },
    );
    await publisher.publish([itemCreated(crypto.randomUUID())]);
    await vi.waitFor(() => expect(seen).toEqual([false, true]), patience);
  });

  it('retries a transient failure through a delay queue, then applies it', async () => {
    const attempts: number[] = [];
    const { publisher, take } = await startWith(
      async (message) => {
        attempts.push(message.attempt);
        if (message.attempt === 1) throw new Error('timeout');
      },
      { retry: retryPolicy({ delaysMs: [50] }) },
    );
    await publisher.publish([itemCreated(crypto.randomUUID())]);
    await vi.waitFor(() => expect(attempts).toEqual([1, 2]), patience);
    expect(await take(queueNames.deadLetter(queue))).toEqual([]);
  });

  it('parks a permanent failure in the dead-letter queue with its reason, and acks it', async () => {
    const event = itemCreated(crypto.randomUUID());
    const { publisher, take } = await startWith(async () => {
      throw new PermanentError('refused by the handler', { code: 'refused' });
    }, { retry: retryPolicy({ delaysMs: [50] }) });
    await publisher.publish([event]);
    const parked = await vi.waitFor(async () => {
      const [message] = await take(queueNames.deadLetter(queue));
      expect(message).toBeDefined();
      return message as TransportMessage;
    }, patience);
    expect(JSON.parse(parked.content.toString('utf8'))).toMatchObject({ id: event.envelope.id });
    expect(parked.properties.messageId).toBe(event.envelope.id);
    expect(parked.properties.headers).toMatchObject({ [failureHeader.errorCode]: 'refused', [failureHeader.attempt]: 1, [failureHeader.originalRoutingKey]: routingKey });
    expect(parked.properties.headers?.[failureHeader.errorMessage]).toContain('refused by the handler');
    expect(await take(queue)).toEqual([]);
  });

  it('keeps the order of each subject with prefetch 1', async () => {
    const seen: string[] = [];
    const subjects = [crypto.randomUUID(), crypto.randomUUID()];
    const events = Array.from({ length: 12 }, (_, index) => itemCreated(subjects[index % 2] as string, `n-${index}`));
    // Same subject, different events: each needs its own id.
    const { publisher } = await startWith(async (message) => void seen.push(`${message.envelope.subject}/${(message.envelope.data as { name: string }).name}`), { prefetch: 1 });
    expect((await publisher.publish(events)).every((outcome) => outcome.ok)).toBe(true);
    await vi.waitFor(() => expect(seen).toHaveLength(events.length), patience);
    for (const subject of subjects) {
      const expected = events.filter((event) => event.envelope.subject === subject).map((event) => `${subject}/${(event.envelope.data as { name: string }).name}`);
      expect(seen.filter((entry) => entry.startsWith(`${subject}/`))).toEqual(expected);
    }
  });

  it('close waits for in-flight deliveries and settles them before it resolves', async () => {
    const held = gate();
    let started = false;
    let finished = false;
    const { publisher, subscriber, take } = await startWith(async () => {
      started = true;
      await held.opened;
      finished = true;
    });
    await publisher.publish([itemCreated(crypto.randomUUID())]);
    await vi.waitFor(() => expect(started).toBe(true), patience);
    let closed = false;
    const closing = subscriber.close().then(() => (closed = true));
    subscribers = subscribers.filter((other) => other !== subscriber);
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    held.open();
    await closing;
    expect(finished).toBe(true);
    // Acked, not returned: nothing waits in the queue.
    expect(await take(queue)).toEqual([]);
  });
}
