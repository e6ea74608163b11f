import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainQueue } from '@warren/messaging/testing';
import { insertOutboxRows, migrateOutbox } from '@warren/operations/testing';
import { createTestDatabase, queueMessageCount, waitFor, type TestDatabase } from '@warren/testing';
import { createConsoleTestContext, itemCreated, type ConsoleTestContext } from './console.test-support.ts';

const queue = 'inventory.item-created';

describe('archive replay', () => {
  let producer: TestDatabase;
  let context: ConsoleTestContext;
  let token: string;
  const events = [itemCreated(), itemCreated(), itemCreated()];
  const since = new Date(Date.now() - 3_600_000).toISOString();
  const until = new Date(Date.now() + 3_600_000).toISOString();

  const post = (body: unknown) =>
    context.app.request('/api/v1/archive/replays', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
    });

  beforeAll(async () => {
    producer = await createTestDatabase('catalog');
    await migrateOutbox(producer.url);
    const publishedAt = new Date();
    await insertOutboxRows(producer.url, events.map((message) => ({ message, createdAt: publishedAt, publishedAt })));
    context = await createConsoleTestContext({ archives: { catalog: producer.url } });
    token = await context.token('warren:read warren:operate');
  });
  afterAll(async () => {
    await context.close();
    await producer.drop();
  });

  it("browses a producer's archive by type and time range", async () => {
    const response = await context.app.request(`/api/v1/archive?service=catalog&type=item.created&since=${since}&until=${until}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const page = (await response.json()) as { total: number; events: { id: string }[] };
    expect(page.total).toBe(3);
    expect(page.events.map((event) => event.id)).toEqual(events.map((event) => event.envelope.id));
  });

  it('dry-runs a replay of a selection, sending nothing', async () => {
    const response = await post({ service: 'catalog', queue, since, until, ids: [events[0]?.envelope.id], dryRun: true });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { matched: { messageId: string }[] }).matched.map((entry) => entry.messageId)).toEqual([events[0]?.envelope.id]);
    expect(await queueMessageCount(context.vhost, queue)).toBe(0);
  });

  it('re-publishes the selected events to one consumer queue with their own ids, and records it', async () => {
    const chosen = [events[0]?.envelope.id, events[2]?.envelope.id];
    const response = await post({ service: 'catalog', queue, since, until, ids: chosen });
    expect(response.status).toBe(202);
    const { activityId } = (await response.json()) as { activityId: number };
    await waitFor(async () => (await context.deps.activity.get(activityId))?.outcome === 'done: 2 message(s)', { description: 'the replay to finish' });
    const sent = await drainQueue(context.vhost.url, queue);
    expect(sent.map((message) => String(message.properties.messageId))).toEqual(chosen);
  });

  it("shows the producer's outbox backlog beside the queues", async () => {
    await insertOutboxRows(producer.url, [{ message: itemCreated(), createdAt: new Date(Date.now() - 5_000), publishedAt: null }]);
    const response = await context.app.request('/api/v1/queues', { headers: { authorization: `Bearer ${token}` } });
    const state = (await response.json()) as { outboxes: { service: string; pending: number; oldestPendingMs: number }[]; queues: { queue: string; depth: number }[] };
    expect(state.outboxes).toEqual([expect.objectContaining({ service: 'catalog', pending: 1 })]);
    expect(state.outboxes[0]?.oldestPendingMs).toBeGreaterThanOrEqual(4_000);
    expect(state.queues.map((entry) => entry.queue)).toContain(queue);
  });

  it('refuses a producer it has no archive of, and a queue that does not exist', async () => {
    expect((await post({ service: 'shipping', queue, since, until })).status).toBe(409);
    expect((await post({ service: 'catalog', queue: 'nobody.listens', since, until })).status).toBe(404);
  });
});
