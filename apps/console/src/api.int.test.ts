import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueMessageCount, waitFor } from '@warren/testing';
import { createConsoleTestContext, itemCreated, park, type ConsoleTestContext } from './console.test-support.ts';

const queue = 'inventory.item-created';
const notFound = { type: 'NotFoundError', message: 'item 4b1d9a34-2b4e-4d7f-9a61-0f5e2c8b1d34 not found', code: 'not_found' };
const timeout = { type: 'TimeoutError', message: 'query took longer than 5000 ms' };

describe('console API', () => {
  let context: ConsoleTestContext;
  let operate: string;
  let readOnly: string;
  const ids: { notFound: string[]; timeout: string[] } = { notFound: [], timeout: [] };

  const get = async (path: string, token = operate) => context.app.request(path, { headers: { authorization: `Bearer ${token}` } });
  const post = async (path: string, body: unknown, token = operate) =>
    context.app.request(path, { method: 'POST', body: JSON.stringify(body), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() } });

  beforeAll(async () => {
    context = await createConsoleTestContext();
    operate = await context.token('warren:read warren:operate');
    readOnly = await context.token('warren:read', 'viewer-1');
    for (let index = 0; index < 3; index += 1) {
      const message = itemCreated();
      ids.notFound.push(message.envelope.id);
      await park(context.vhost, message, { queue, error: { ...notFound, message: notFound.message.replace('4b1d', `${index}b1d`) } });
    }
    const slow = itemCreated('corr-slow');
    ids.timeout.push(slow.envelope.id);
    await park(context.vhost, slow, { queue, error: timeout });
    await context.deps.indexer.refresh();
  });
  afterAll(() => context.close());

  it('groups parked messages by the fingerprint of their error, ids and numbers aside', async () => {
    const response = await get('/api/v1/groups?by=fingerprint');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { total: number; groups: { key: string; count: number; example: string }[] };
    expect(body.total).toBe(4);
    expect(body.groups.map((group) => group.count)).toEqual([3, 1]);
    expect(body.groups[0]?.example).toContain('NotFoundError [not_found]');
  });

  it('groups by queue, service and event type', async () => {
    for (const [by, key] of [['queue', queue], ['service', 'inventory'], ['eventType', 'item.created']] as const) {
      const body = (await (await get(`/api/v1/groups?by=${by}`)).json()) as { groups: { key: string; count: number }[] };
      expect(body.groups, by).toEqual([expect.objectContaining({ key, count: 4 })]);
    }
  });

  it('searches by correlation id and by text in the error', async () => {
    const byCorrelation = (await (await get('/api/v1/messages?correlationId=corr-slow')).json()) as { items: { messageId: string }[] };
    expect(byCorrelation.items.map((item) => item.messageId)).toEqual(ids.timeout);
    const byText = (await (await get('/api/v1/messages?text=longer%20than')).json()) as { total: number };
    expect(byText.total).toBe(1);
  });

  it('shows one message with its headers and a trace link from its traceparent', async () => {
    const body = (await (await get(`/api/v1/messages/${ids.timeout[0]}`)).json()) as { copies: { properties: { headers: Record<string, unknown> } }[]; links: { traceId?: string; trace?: string } };
    expect(body.copies[0]?.properties.headers['x-warren-error-type']).toBe('TimeoutError');
    expect(body.links.traceId).toBe('ab'.repeat(16));
    expect(body.links.trace).toContain('http://grafana.test/explore');
    expect((await get(`/api/v1/messages/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it('lets a token without warren:operate read but not act (403)', async () => {
    expect((await get('/api/v1/groups', readOnly)).status).toBe(200);
    const response = await post('/api/v1/retries', { messageIds: ids.timeout }, readOnly);
    expect(response.status).toBe(403);
    expect((await get('/api/v1/groups', 'not-a-token')).status).toBe(401);
    expect((await context.app.request('/api/v1/groups')).status).toBe(401);
  });

  it('dry-runs a group retry without moving anything, and records it', async () => {
    const [group] = ((await (await get('/api/v1/groups')).json()) as { groups: { key: string }[] }).groups;
    const response = await post('/api/v1/retries', { fingerprint: group?.key, dryRun: true });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { activityId: number; matched: unknown[] };
    expect(body.matched).toHaveLength(3);
    expect(await queueMessageCount(context.vhost, `${queue}.dlq`)).toBe(4);
    const activity = (await (await get(`/api/v1/activities/${body.activityId}`)).json()) as { actor: string; dryRun: boolean; outcome: string };
    expect(activity).toMatchObject({ actor: 'operator-1', dryRun: true, outcome: 'dry run: 3 message(s) would be affected' });
  });

  it('retries a whole group with the same message ids, and follows them until applied', async () => {
    const [group] = ((await (await get('/api/v1/groups')).json()) as { groups: { key: string }[] }).groups;
    const response = await post('/api/v1/retries', { fingerprint: group?.key });
    expect(response.status).toBe(202);
    const { activityId } = (await response.json()) as { activityId: number };
    await waitFor(async () => ((await (await get(`/api/v1/activities/${activityId}`)).json()) as { outcome: string }).outcome === 'done: 3 message(s)');
    expect(await queueMessageCount(context.vhost, queue)).toBe(3);
    expect(await queueMessageCount(context.vhost, `${queue}.dlq`)).toBe(1);
    // Nothing consumes the queue here: once the retry window has passed the replays count as applied.
    await waitFor(async () => {
      await context.deps.indexer.refresh();
      const { replays } = (await (await get(`/api/v1/activities/${activityId}`)).json()) as { replays: { messageId: string; status: string; replayCount: number }[] };
      return replays.length === 3 && replays.every((replay) => replay.status === 'applied' && replay.replayCount === 1);
    });
    const ids3 = ((await (await get(`/api/v1/activities/${activityId}`)).json()) as { replays: { messageId: string }[] }).replays.map((replay) => replay.messageId).sort();
    expect(ids3).toEqual([...ids.notFound].sort());
  });

  it('purges only with the typed confirmation, and records who did it', async () => {
    const refused = await post('/api/v1/purges', { messageIds: ids.timeout, confirm: '2' });
    expect(refused.status).toBe(422);
    expect(await queueMessageCount(context.vhost, `${queue}.dlq`)).toBe(1);
    const response = await post('/api/v1/purges', { messageIds: ids.timeout, confirm: '1' });
    expect(response.status).toBe(202);
    await waitFor(async () => (await queueMessageCount(context.vhost, `${queue}.dlq`)) === 0);
    await waitFor(async () => ((await (await get('/api/v1/groups')).json()) as { total: number }).total === 0);
    const { activityId } = (await response.json()) as { activityId: number };
    await waitFor(async () => ((await (await get(`/api/v1/activities/${activityId}`)).json()) as { outcome: string }).outcome !== 'running');
    const { items } = (await (await get('/api/v1/activities')).json()) as { items: { action: string; actor: string; outcome: string }[] };
    expect(items[0]).toMatchObject({ action: 'purge', actor: 'operator-1', outcome: 'done: 1 message(s)' });
  });

  it('needs an Idempotency-Key on every action', async () => {
    const response = await context.app.request('/api/v1/index/refresh', { method: 'POST', headers: { authorization: `Bearer ${operate}` } });
    expect(response.status).toBe(400);
  });
});
