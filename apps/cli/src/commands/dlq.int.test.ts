import { findDeadLetterQueues, openBroker, type ParkedSummary } from '@warren/operations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnroutableError } from '@warren/messaging';
import { drainQueue, publishRaw } from '@warren/messaging/testing';
import { createTestVhost, infrastructure, type TestVhost } from '@warren/testing';
import { brokerDeadLetter, declareQueues, itemCreated, park, readyIds, warren } from '../cli.test-support.ts';

const work = 'inventory.item-created';
const dlq = 'inventory.item-created.dlq';
const audit = 'audit.event-log';
/** A consumer queue Warren no longer declares: only the management API can find its `.dlq`. */
const retired = 'billing.retired';

describe('warren dlq against a real RabbitMQ', () => {
  let vhost: TestVhost;
  let env: NodeJS.ProcessEnv;
  const timeout = itemCreated('corr-timeout');
  const refused = itemCreated('corr-refused');
  const invalid = itemCreated('corr-invalid');
  const crashed = itemCreated('corr-crash');
  const forgotten = itemCreated('corr-forgotten');
  const failedAt = new Date('2025-06-01T10:00:00.000Z');

  beforeAll(async () => {
    vhost = await createTestVhost('cli-dlq');
    env = { AMQP_URL: vhost.url };
    await declareQueues(vhost, [
      { queue: work, deliveryLimit: 20 },
      { queue: audit, deliveryLimit: 1 },
      { queue: retired, deliveryLimit: 20 },
    ]);
    await park(vhost, forgotten, { queue: retired, error: { type: 'Error', message: 'gone' }, attempt: 1, failedAt });
    await park(vhost, timeout, { queue: work, error: { type: 'Error', message: 'database timeout' }, attempt: 4, failedAt });
    await park(vhost, refused, { queue: work, error: { type: 'PermanentError', message: 'refused by handler' }, attempt: 1, failedAt });
    await park(vhost, invalid, { queue: work, error: { type: 'PermanentError', code: 'invalid_data', message: 'data breaks its schema' }, attempt: 1, failedAt });
    await brokerDeadLetter(vhost, audit, crashed);
  });
  afterAll(() => vhost.delete());

  const ids = (queue: string) => readyIds(vhost, queue);
  const sorted = (values: string[]) => [...values].sort();

  it('lists the parked messages of one queue as a table and leaves them in place', async () => {
    const result = await warren(['dlq', 'list', '--queue', dlq], env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^ID\s+TYPE\s+QUEUE\s+ATTEMPTS\s+REPLAYS\s+FAILED AT\s+ERROR/);
    const line = result.stdout.split('\n').find((l) => l.startsWith(timeout.envelope.id));
    expect(line).toMatch(/item\.created\.v1\s+inventory\.item-created\s+4\s+0\s+2025-06-01T10:00:00\.000Z\s+Error: database timeout/);
    expect(result.stdout).toContain('PermanentError [invalid_data]: data breaks its schema');
    expect(result.stdout).toContain(`3 parked message(s) in ${dlq}`);
    expect(sorted(await ids(dlq))).toEqual(sorted([timeout.envelope.id, refused.envelope.id, invalid.envelope.id]));
  });

  it('prints one JSON array with --json, filtered by --type', async () => {
    const all = await warren(['dlq', 'list', '--queue', dlq, '--json'], env);
    const parsed = JSON.parse(all.stdout) as ParkedSummary[];
    expect(parsed.map((m) => m.id)).toEqual([timeout.envelope.id, refused.envelope.id, invalid.envelope.id]);
    expect(parsed[0]).toEqual({
      id: timeout.envelope.id,
      type: 'item.created.v1',
      deadLetterQueue: dlq,
      queue: work,
      parkedBy: 'warren',
      error: 'Error: database timeout',
      attempts: 4,
      failedAt: failedAt.toISOString(),
      replayCount: 0,
    });
    expect(JSON.parse((await warren(['dlq', 'list', '--queue', dlq, '--json', '--type', 'stock.adjusted'], env)).stdout)).toEqual([]);
    expect(JSON.parse((await warren(['dlq', 'list', '--queue', dlq, '--json', '--type', 'item.created'], env)).stdout)).toHaveLength(3);
  });

  it('lists the dead-letter queues of every declared consumer without --queue, a broker dead-letter with its queue and reason', async () => {
    const result = await warren(['dlq', 'list', '--json'], env);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as ParkedSummary[];
    expect(parsed).toHaveLength(4);
    expect(parsed.find((m) => m.id === crashed.envelope.id)).toMatchObject({
      deadLetterQueue: `${audit}.dlq`,
      queue: audit,
      parkedBy: 'broker',
      error: 'delivery_limit (dead-lettered by the broker)',
      attempts: null,
      type: 'item.created.v1',
    });
    expect(parsed.find((m) => m.id === crashed.envelope.id)?.failedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const text = await warren(['dlq', 'list'], env);
    expect(text.stdout).toMatch(new RegExp(`${crashed.envelope.id}\\s+item\\.created\\.v1\\s+audit\\.event-log\\s+-\\s+0\\s+\\S+\\s+delivery_limit`));
  });

  it('groups the parked messages by failure fingerprint or by service with --group', async () => {
    const byFingerprint = await warren(['dlq', 'list', '--group', 'fingerprint', '--json'], env);
    expect(byFingerprint).toMatchObject({ code: 0, stderr: '' });
    const groups = JSON.parse(byFingerprint.stdout) as { key: string; title: string; count: number; ids: string[] }[];
    expect(groups.map((group) => group.title).sort()).toEqual(['Error: database timeout', 'PermanentError [invalid_data]: data breaks its schema', 'PermanentError: refused by handler', 'broker:delivery_limit']);
    expect(groups.every((group) => /^[0-9a-f]{12}$/.test(group.key) && group.count === 1)).toBe(true);
    const byService = await warren(['dlq', 'list', '--group', 'service'], env);
    expect(byService.stdout).toMatch(/^SERVICE\s+COUNT\s+FIRST SEEN\s+LAST SEEN\s+ERROR\ninventory\s+3\s+2025-06-01T10:00:00\.000Z\s+2025-06-01T10:00:00\.000Z\s+inventory\naudit\s+1\s/);
    expect(byService.stdout).toContain('4 parked message(s) in 2 group(s)');
    expect((await warren(['dlq', 'list', '--group', 'colour'], env)).stderr).toContain('--group must be one of fingerprint, type, queue, service');
    expect(await ids(dlq)).toHaveLength(3);
  });

  it('looks for <queue>.dlq of each declared consumer with a passive declare, skipping the missing ones', async () => {
    const broker = await openBroker(vhost.url);
    try {
      const warnings: string[] = [];
      const consumers = [{ queue: work }, { queue: 'nobody.here' }, { queue: audit }];
      const found = await findDeadLetterQueues(broker, { consumers, onWarning: (line: string) => warnings.push(line) });
      expect(found).toEqual([`${audit}.dlq`, dlq]);
      expect(warnings).toEqual([]);
    } finally {
      await broker.close();
    }
  });

  it('publishes to a queue with the given id once the broker confirms, and reports a queue that is missing as unroutable', async () => {
    const broker = await openBroker(vhost.url);
    try {
      const message = itemCreated();
      await broker.publishToQueue(work, Buffer.from(JSON.stringify(message.envelope)), { messageId: message.envelope.id, headers: {} });
      expect((await drainQueue(vhost.url, work)).map((m) => m.properties.messageId as string)).toEqual([message.envelope.id]);
      const lost = broker.publishToQueue('nobody.here', Buffer.from('{}'), { messageId: message.envelope.id, headers: {} });
      await expect(lost).rejects.toBeInstanceOf(UnroutableError);
      await expect(lost).rejects.toThrow(`queue nobody.here did not take message ${message.envelope.id}`);
    } finally {
      await broker.close();
    }
  });

  it('warns and still lists the declared consumers when AMQP_MANAGEMENT_URL cannot be reached', async () => {
    const result = await warren(['dlq', 'list', '--json'], { ...env, AMQP_MANAGEMENT_URL: 'http://guest:guest@127.0.0.1:9' });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^warren: cannot list queues through the management API at http:\/\/guest:\*\*\*@127\.0\.0\.1:9\/ .*; listing the declared consumers' dead-letter queues only\n$/);
    expect((JSON.parse(result.stdout) as ParkedSummary[]).map((m) => m.deadLetterQueue).sort()).toEqual([`${audit}.dlq`, dlq, dlq, dlq]);
  });

  it.skipIf(infrastructure().brokerAdmin.kind !== 'management')('adds the *.dlq queues the management API lists when AMQP_MANAGEMENT_URL is set', async () => {
    const result = await warren(['dlq', 'list', '--json'], { ...env, AMQP_MANAGEMENT_URL: vhost.managementUrl });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const parsed = JSON.parse(result.stdout) as ParkedSummary[];
    expect(parsed).toHaveLength(5);
    expect(parsed.find((m) => m.id === forgotten.envelope.id)).toMatchObject({ deadLetterQueue: `${retired}.dlq`, queue: retired });
  });

  it('shows one message in full: failure, properties, headers and the pretty-printed body', async () => {
    const result = await warren(['dlq', 'show', '--queue', dlq, '--id', invalid.envelope.id], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Message ${invalid.envelope.id} in ${dlq}`);
    expect(result.stdout).toMatch(/failed in\s+inventory\.item-created/);
    expect(result.stdout).toMatch(/correlationId\s+corr-invalid/);
    expect(result.stdout).toMatch(/x-warren-error-code\s+invalid_data/);
    expect(result.stdout).toContain(JSON.stringify(invalid.envelope, null, 2));
    const missing = await warren(['dlq', 'show', '--queue', dlq, '--id', 'nope'], env);
    expect(missing).toMatchObject({ code: 1, stderr: `warren: no message with id nope in ${dlq}\n` });
    expect(await ids(dlq)).toHaveLength(3);
  });

  it('changes nothing on replay --dry-run', async () => {
    const result = await warren(['dlq', 'replay', '--queue', dlq, '--error', 'PERMANENT', '--dry-run'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`would replay  ${refused.envelope.id}  item.created.v1  ${dlq} -> ${work}`);
    expect(result.stdout).toContain('dry run: 2 message(s) would be replayed');
    expect(await ids(dlq)).toHaveLength(3);
    expect(await ids(work)).toEqual([]);
  });

  it('replays exactly one message by id with its id and properties, a replay count and a fresh attempt', async () => {
    const result = await warren(['dlq', 'replay', '--queue', dlq, '--id', timeout.envelope.id], env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`replayed 1 of 1 matching message(s) from ${dlq}`);
    const [moved, ...others] = await drainQueue(vhost.url, work);
    expect(others).toEqual([]);
    expect(moved?.body).toBe(JSON.stringify(timeout.envelope));
    expect(moved?.properties).toMatchObject({ messageId: timeout.envelope.id, type: 'item.created.v1', correlationId: 'corr-timeout', contentType: 'application/json', deliveryMode: 2 });
    expect(moved?.headers).toMatchObject({ 'x-warren-replay-count': 1, 'x-warren-attempt': 1, 'x-warren-error-message': 'database timeout', correlation_id: 'corr-timeout' });
    expect(sorted(await ids(dlq))).toEqual(sorted([refused.envelope.id, invalid.envelope.id]));

    // A consumer fails it again and parks it with the replay headers it carried: the count grows.
    await publishRaw(vhost.url, '', dlq, moved?.body ?? '', { ...moved?.properties, headers: { ...moved?.headers, 'x-warren-attempt': 2 } });
    expect((await warren(['dlq', 'replay', '--queue', dlq, '--id', timeout.envelope.id], env)).code).toBe(0);
    const [again] = await drainQueue(vhost.url, work);
    expect(again?.headers).toMatchObject({ 'x-warren-replay-count': 2, 'x-warren-attempt': 1 });
  });

  it('is safe to repeat: a second replay of the same id finds nothing and moves nothing', async () => {
    const result = await warren(['dlq', 'replay', '--queue', dlq, '--id', timeout.envelope.id], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('replayed 0 of 0 matching message(s)');
    expect(await ids(work)).toEqual([]);
    expect(sorted(await ids(dlq))).toEqual(sorted([refused.envelope.id, invalid.envelope.id]));
  });

  it('replays a broker dead-letter to the queue named by x-first-death-queue', async () => {
    const result = await warren(['dlq', 'replay', '--queue', `${audit}.dlq`], env);
    expect(result.code).toBe(0);
    expect(await ids(audit)).toEqual([crashed.envelope.id]);
    expect(await ids(`${audit}.dlq`)).toEqual([]);
  });

  it('moves nothing when the queue a message failed in no longer exists', async () => {
    const orphan = itemCreated();
    await park(vhost, orphan, { queue: 'inventory.retired-handler', into: dlq, error: { type: 'Error', message: 'boom' }, attempt: 1, failedAt });
    const result = await warren(['dlq', 'replay', '--queue', dlq, '--id', orphan.envelope.id], env);
    expect(result).toMatchObject({ code: 1, stderr: `warren: queue inventory.retired-handler does not exist in vhost ${vhost.name}\n` });
    expect(await ids(work)).toEqual([]);
    expect(await ids(dlq)).toContain(orphan.envelope.id);
    const purge = await warren(['dlq', 'purge', '--queue', dlq, '--id', orphan.envelope.id, '--yes'], env);
    expect(purge.stdout).toContain(`purged 1 message(s) from ${dlq}`);
  });

  it('refuses to purge without --yes, and with it deletes only the matching messages', async () => {
    const refusedRun = await warren(['dlq', 'purge', '--queue', dlq], env);
    expect(refusedRun.code).toBe(2);
    expect(refusedRun.stderr).toContain(`refusing to purge ${dlq} without --yes`);
    expect(await ids(dlq)).toHaveLength(2);

    const result = await warren(['dlq', 'purge', '--queue', dlq, '--id', refused.envelope.id, '--yes'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`purged  ${refused.envelope.id}  item.created.v1`);
    expect(await ids(dlq)).toEqual([invalid.envelope.id]);
  });

  it('fails clearly for a queue that does not exist, and refuses a queue that is not a .dlq', async () => {
    const missing = await warren(['dlq', 'list', '--queue', 'nobody.here.dlq'], env);
    expect(missing).toMatchObject({ code: 1, stderr: `warren: queue nobody.here.dlq does not exist in vhost ${vhost.name}\n` });
    const live = await warren(['dlq', 'list', '--queue', work], env);
    expect(live.code).toBe(2);
    expect(live.stderr).toContain('--queue must name a dead-letter queue');
  });
});
