import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainQueue } from '@warren/messaging/testing';
import { createTestVhost, waitFor, type TestVhost } from '@warren/testing';
import { openBroker, type Broker } from './broker.ts';
import { OperationsError } from './errors.ts';
import { listParked, purgeParked, redirectParked, replayParked } from './parked-operations.ts';
import { queueState } from './queue-state.ts';
import { brokerDeadLetter, declareQueues, itemCreated, park, readyIds } from './testing/index.ts';

const work = 'inventory.item-created';
const dlq = `${work}.dlq`;
const audit = 'audit.event-log';
const holding = 'inventory.holding';
const failedAt = new Date('2025-06-01T10:00:00.000Z');
const timeoutError = { type: 'Error', message: 'timeout after 5000ms' };

describe('parked message operations against a real RabbitMQ', () => {
  let vhost: TestVhost;
  let broker: Broker;
  const sorted = (values: readonly (string | null)[]) => [...values].sort();
  const ids = (queue: string) => readyIds(vhost, queue);

  beforeAll(async () => {
    vhost = await createTestVhost('ops-parked');
    await declareQueues(vhost, [
      { queue: work, deliveryLimit: 20 },
      { queue: audit, deliveryLimit: 1 },
      { queue: holding, deliveryLimit: 20 },
    ]);
    broker = await openBroker(vhost.url);
  });
  afterAll(async () => {
    await broker.close();
    await vhost.delete();
  });

  async function parkNew(error = timeoutError, correlationId?: string) {
    const message = itemCreated(correlationId);
    await park(vhost, message, { queue: work, error, attempt: 3, failedAt });
    return message;
  }

  it('lists every parked message in full, broker dead-letters included, and leaves them all in place', async () => {
    const parked = await parkNew(timeoutError, 'corr-list');
    const crashed = itemCreated('corr-crashed');
    await brokerDeadLetter(vhost, audit, crashed);

    const entries = await listParked(broker, [dlq, `${audit}.dlq`]);
    expect(entries.map((entry) => entry.id)).toEqual([parked.envelope.id, crashed.envelope.id]);
    const [mine, theirs] = entries;
    expect(mine).toMatchObject({
      type: 'item.created.v1',
      eventType: 'item.created',
      routingKey: 'item.created.v1',
      subject: parked.envelope.subject,
      correlationId: 'corr-list',
      deadLetterQueue: dlq,
      queue: work,
      service: 'inventory',
      parkedBy: 'warren',
      errorType: 'Error',
      errorMessage: 'timeout after 5000ms',
      stackTopFrame: 'handler (inventory/src/handlers/item-created.ts:12:11)',
      attempts: 3,
      replayCount: 0,
      firstFailureAt: failedAt.toISOString(),
      lastFailureAt: failedAt.toISOString(),
      body: parked.envelope,
    });
    expect(mine?.headers).toMatchObject({ correlation_id: 'corr-list', 'x-warren-queue': work });
    expect(mine?.properties).toMatchObject({ messageId: parked.envelope.id, contentType: 'application/json' });
    expect(theirs).toMatchObject({ parkedBy: 'broker', queue: audit, service: 'audit', errorType: null, errorMessage: null, death: { reason: 'delivery_limit', queue: audit }, body: crashed.envelope });
    expect(theirs?.death?.count).toBeGreaterThanOrEqual(1);

    expect(await ids(dlq)).toEqual([parked.envelope.id]);
    expect(await ids(`${audit}.dlq`)).toEqual([crashed.envelope.id]);
    expect((await listParked(broker, [dlq], { type: 'stock.adjusted' }))).toEqual([]);
    await purgeParked(broker, `${audit}.dlq`, { filter: {} });
    await purgeParked(broker, dlq, { filter: {} });
  });

  it('replays on a dry run nothing, and for real the chosen ids with their id, a fresh attempt and the replay count', async () => {
    const [one, two, other] = [await parkNew(), await parkNew(), await parkNew()];
    const dry = await replayParked(broker, dlq, { ids: [one.envelope.id, two.envelope.id], dryRun: true });
    expect(dry).toMatchObject({ queue: dlq, dryRun: true, matched: 2, done: 0 });
    expect(dry.outcomes).toEqual([
      { id: one.envelope.id, type: 'item.created.v1', from: dlq, to: work, status: 'dry_run', replayCount: 1 },
      { id: two.envelope.id, type: 'item.created.v1', from: dlq, to: work, status: 'dry_run', replayCount: 1 },
    ]);
    expect(await ids(dlq)).toHaveLength(3);
    expect(await ids(work)).toEqual([]);

    const progress: string[] = [];
    const run = await replayParked(broker, dlq, { ids: [one.envelope.id, two.envelope.id], onProgress: (outcome) => progress.push(`${outcome.id} ${outcome.status}`) });
    expect(run).toMatchObject({ dryRun: false, matched: 2, done: 2 });
    expect(sorted(progress)).toEqual(sorted([`${one.envelope.id} done`, `${two.envelope.id} done`]));
    const moved = await drainQueue(vhost.url, work);
    expect(moved.map((message) => message.properties.messageId as string)).toEqual([one.envelope.id, two.envelope.id]);
    expect(moved[0]?.body).toBe(JSON.stringify(one.envelope));
    expect(moved[0]?.headers).toMatchObject({ 'x-warren-attempt': 1, 'x-warren-replay-count': 1, 'x-warren-error-message': 'timeout after 5000ms' });
    expect(await ids(dlq)).toEqual([other.envelope.id]);
    await purgeParked(broker, dlq, { filter: {} });
  });

  it('replays no faster than the rate asked for', async () => {
    for (let count = 0; count < 4; count += 1) await parkNew();
    const started = performance.now();
    const run = await replayParked(broker, dlq, { filter: {}, ratePerSecond: 10 });
    // Four publishes at 10 per second: the last may go 300 ms after the first.
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(run.done).toBe(4);
    expect(await drainQueue(vhost.url, work)).toHaveLength(4);
  });

  it('refuses to act without ids or a filter, and moves nothing when a destination is missing', async () => {
    await expect(replayParked(broker, dlq, {})).rejects.toMatchObject({ code: 'refused' });
    await expect(purgeParked(broker, dlq, {})).rejects.toBeInstanceOf(OperationsError);
    const orphan = itemCreated();
    await park(vhost, orphan, { queue: 'inventory.retired-handler', into: dlq, error: timeoutError, attempt: 1, failedAt });
    const kept = await parkNew();
    await expect(replayParked(broker, dlq, { filter: {} })).rejects.toMatchObject({ code: 'queue_not_found', message: `queue inventory.retired-handler does not exist in vhost ${vhost.name}` });
    expect(sorted(await ids(dlq))).toEqual(sorted([orphan.envelope.id, kept.envelope.id]));
    expect(await ids(work)).toEqual([]);
    await purgeParked(broker, dlq, { filter: {} });
  });

  it('purges only the chosen messages, and nothing on a dry run', async () => {
    const [gone, stays] = [await parkNew(), await parkNew()];
    const dry = await purgeParked(broker, dlq, { ids: [gone.envelope.id], dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, matched: 1, done: 0, outcomes: [{ id: gone.envelope.id, to: null, status: 'dry_run' }] });
    expect(await ids(dlq)).toHaveLength(2);
    const run = await purgeParked(broker, dlq, { ids: [gone.envelope.id] });
    expect(run).toMatchObject({ matched: 1, done: 1, outcomes: [{ id: gone.envelope.id, status: 'done' }] });
    expect(await ids(dlq)).toEqual([stays.envelope.id]);
    await purgeParked(broker, dlq, { filter: {} });
  });

  it('redirects to another queue that exists, with the same id and where it came from, and refuses a missing or the same queue', async () => {
    const [moving, staying] = [await parkNew(), await parkNew()];
    await expect(redirectParked(broker, dlq, { ids: [moving.envelope.id], toQueue: 'nobody.here' })).rejects.toMatchObject({ code: 'queue_not_found' });
    await expect(redirectParked(broker, dlq, { ids: [moving.envelope.id], toQueue: dlq })).rejects.toMatchObject({ code: 'refused' });
    const dry = await redirectParked(broker, dlq, { ids: [moving.envelope.id], toQueue: holding, dryRun: true });
    expect(dry.outcomes).toEqual([{ id: moving.envelope.id, type: 'item.created.v1', from: dlq, to: holding, status: 'dry_run', replayCount: 1 }]);
    expect(await ids(holding)).toEqual([]);

    const run = await redirectParked(broker, dlq, { ids: [moving.envelope.id], toQueue: holding });
    expect(run).toMatchObject({ matched: 1, done: 1 });
    const [redirected, ...others] = await drainQueue(vhost.url, holding);
    expect(others).toEqual([]);
    expect(redirected?.properties.messageId).toBe(moving.envelope.id);
    expect(redirected?.body).toBe(JSON.stringify(moving.envelope));
    expect(redirected?.headers).toMatchObject({ 'x-warren-redirected-from': dlq, 'x-warren-queue': work, 'x-warren-attempt': 1, 'x-warren-replay-count': 1 });
    expect(await ids(dlq)).toEqual([staying.envelope.id]);
    expect(await ids(work)).toEqual([]);
    await purgeParked(broker, dlq, { filter: {} });
  });

  it('reads depth and consumers of work and dead-letter queues with passive declares', async () => {
    await parkNew();
    const connection = await amqp.connect(vhost.url);
    try {
      const channel = await connection.createChannel();
      await channel.consume(audit, () => {});
      const states = await queueState(broker, [work, audit, 'nobody.here']);
      expect(states).toEqual([
        { queue: work, service: 'inventory', exists: true, depth: 0, consumers: 0, deadLetter: { queue: dlq, exists: true, depth: expect.any(Number), consumers: 0 } },
        { queue: audit, service: 'audit', exists: true, depth: 0, consumers: 1, deadLetter: { queue: `${audit}.dlq`, exists: true, depth: 0, consumers: 0 } },
        { queue: 'nobody.here', service: 'nobody', exists: false, depth: null, consumers: null, deadLetter: { queue: 'nobody.here.dlq', exists: false, depth: null, consumers: null } },
      ]);
    } finally {
      await connection.close();
    }
    // Quorum queues report their ready count with a short lag.
    await waitFor(async () => (await queueState(broker, [work]))[0]?.deadLetter.depth === 1, { description: 'the dead-letter queue to report one message' });
  });
});
