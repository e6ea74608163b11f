import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainQueue } from '@warren/messaging/testing';
import { queueMessageCount } from '@warren/testing';
import { createConsoleTestContext, itemCreated, park, type ConsoleTestContext } from './console.test-support.ts';

const queue = 'inventory.item-created';

describe('edit and retry', () => {
  let context: ConsoleTestContext;
  let token: string;
  const message = itemCreated('corr-edit');

  const edit = (data: unknown, app = context.app) =>
    app.request('/api/v1/edits', {
      method: 'POST',
      body: JSON.stringify({ deadLetterQueue: `${queue}.dlq`, messageId: message.envelope.id, data }),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
    });

  beforeAll(async () => {
    context = await createConsoleTestContext({ allowEdit: true });
    token = await context.token('warren:read warren:operate');
    await park(context.vhost, message, { queue, error: { type: 'PermanentError', code: 'invalid_data', message: 'priceCents: expected number' } });
    await context.deps.indexer.refresh();
  });
  afterAll(() => context.close());

  it('refuses data that breaks the contract, sends nothing and records the refusal', async () => {
    const response = await edit({ ...(message.envelope.data as Record<string, unknown>), priceCents: 'free' });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { errors: { message: string }[] }).errors[0]?.message).toContain('priceCents');
    expect(await queueMessageCount(context.vhost, `${queue}.dlq`)).toBe(1);
    expect(await queueMessageCount(context.vhost, queue)).toBe(0);
    const [latest] = await context.deps.activity.list({ limit: 1 });
    expect(latest).toMatchObject({ action: 'edit-retry', actor: 'operator-1' });
    expect(latest?.outcome).toMatch(/^refused: /);
  });

  it('sends valid data with the same event id, and keeps the original in the action record', async () => {
    const data = { ...(message.envelope.data as Record<string, unknown>), priceCents: 4200 };
    const response = await edit(data);
    expect(response.status).toBe(202);
    const { activityId } = (await response.json()) as { activityId: number };
    const [sent] = await drainQueue(context.vhost.url, queue);
    const body = JSON.parse(sent?.body ?? '{}') as { id: string; data: { priceCents: number } };
    expect(body).toMatchObject({ id: message.envelope.id, data: { priceCents: 4200 } });
    expect(sent?.properties.messageId).toBe(message.envelope.id);
    expect(sent?.headers['x-warren-edited']).toBe(true);
    expect(await queueMessageCount(context.vhost, `${queue}.dlq`)).toBe(0);
    const record = await context.deps.activity.get(activityId);
    expect(JSON.parse(String(record?.detail['originalBody']))).toEqual(message.envelope);
    expect(record?.outcome).toBe('done: 1 message(s)');
  });

  it('is refused while CONSOLE_ALLOW_EDIT is off', async () => {
    const off = await createConsoleTestContext();
    try {
      const offToken = await off.token('warren:read warren:operate');
      const response = await off.app.request('/api/v1/edits', {
        method: 'POST',
        body: JSON.stringify({ deadLetterQueue: `${queue}.dlq`, messageId: 'x', data: {} }),
        headers: { authorization: `Bearer ${offToken}`, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
      });
      expect(response.status).toBe(403);
      expect(((await response.json()) as { code?: string; type: string }).type).toContain('edit_disabled');
    } finally {
      await off.close();
    }
  });
});
