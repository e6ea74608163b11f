import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createTestVhost, infrastructure, queueMessageCount, startSystem, waitFor, type RunningSystem, type TestVhost } from '@warren/testing';
import { requestJson } from './http-client.ts';

interface Item {
  id: string;
  sku: string;
}

describe('the item.created pipeline across the three services', () => {
  let vhost: TestVhost;
  let system: RunningSystem;

  beforeAll(async () => {
    vhost = await createTestVhost('e2e');
    system = await startSystem({ adminUrl: infrastructure().databaseUrl, amqpUrl: vhost.url });
  });
  afterAll(async () => {
    await system?.close();
    await vhost?.delete();
  });

  const catalog = () => system.services.catalog.baseUrl;
  const inventory = () => system.services.inventory.baseUrl;
  const audit = () => system.services.audit.baseUrl;

  it('reports every service ready, with its dependencies', async () => {
    for (const baseUrl of [catalog(), inventory(), audit()]) {
      const ready = await requestJson(baseUrl, '/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ready', dependencies: { database: { status: 'up' }, broker: { status: 'up' }, migrations: { status: 'up' } } });
    }
  });

  it('carries a created item to inventory (onHand 0) and to audit with the request id as correlation id', async () => {
    const requestId = `e2e-${crypto.randomUUID()}`;
    const created = await requestJson<Item>(catalog(), '/api/v1/items', {
      method: 'POST',
      body: { name: 'Desk lamp', sku: `LAMP-${requestId.slice(-8)}`, priceCents: 2599 },
      headers: { 'Idempotency-Key': requestId, 'X-Request-Id': requestId },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/v1/items/${created.body.id}`);
    expect(created.headers.get('x-request-id')).toBe(requestId);

    const stock = await waitFor(async () => {
      const response = await requestJson(inventory(), `/api/v1/stock/${created.body.id}`);
      return response.status === 200 ? response.body : undefined;
    }, { description: 'stock for the new item' });
    expect(stock).toEqual({ itemId: created.body.id, sku: created.body.sku, onHand: 0 });

    const logged = await waitFor(async () => {
      const response = await requestJson<{ items: Record<string, unknown>[] }>(audit(), `/api/v1/events?correlation_id=${requestId}`);
      return response.body.items.length > 0 ? response.body.items : undefined;
    }, { description: 'the audit entry' });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ type: 'item.created', version: 2, source_service: 'catalog', subject: created.body.id, correlation_id: requestId, data: { ...created.body, category: 'uncategorised' } });
    expect(Date.parse(String(logged[0]?.['received_at']))).toBeGreaterThanOrEqual(Date.parse(String(logged[0]?.['timestamp'])));
  });

  it('adjusts stock idempotently and logs one stock.adjusted event caused by the write', async () => {
    const key = crypto.randomUUID();
    const item = await requestJson<Item>(catalog(), '/api/v1/items', {
      method: 'POST',
      body: { name: 'Shelf', sku: `SHELF-${key.slice(0, 8)}`, priceCents: 9900 },
      headers: { 'Idempotency-Key': key },
    });
    await waitFor(async () => (await requestJson(inventory(), `/api/v1/stock/${item.body.id}`)).status === 200, { description: 'stock row' });
    const adjust = () =>
      requestJson(inventory(), `/api/v1/stock/${item.body.id}/adjustments`, {
        method: 'POST',
        body: { delta: 5, reason: 'received' },
        headers: { 'Idempotency-Key': `adjust-${key}`, 'X-Request-Id': `adjust-${key}` },
      });
    const first = await adjust();
    const again = await adjust();
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await requestJson(inventory(), `/api/v1/stock/${item.body.id}`)).body).toMatchObject({ onHand: 5 });

    const tooMuch = await requestJson(inventory(), `/api/v1/stock/${item.body.id}/adjustments`, {
      method: 'POST',
      body: { delta: -6, reason: 'shipped' },
      headers: { 'Idempotency-Key': `overdraw-${key}` },
    });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.headers.get('content-type')).toContain('application/problem+json');

    const events = await waitFor(async () => {
      const response = await requestJson<{ items: Record<string, unknown>[] }>(audit(), `/api/v1/events?type=stock.adjusted&subject=${item.body.id}`);
      return response.body.items.length > 0 ? response.body.items : undefined;
    }, { description: 'stock.adjusted in audit' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ correlation_id: `adjust-${key}`, data: { delta: 5, onHand: 5, reason: 'received' } });
  });

  it('answers bad input and unknown items with problem+json', async () => {
    const invalid = await requestJson(catalog(), '/api/v1/items', {
      method: 'POST',
      body: { name: '', sku: 'x', priceCents: -1 },
      headers: { 'Idempotency-Key': crypto.randomUUID() },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toContain('application/problem+json');
    expect(invalid.body).toMatchObject({ status: 400, request_id: invalid.headers.get('x-request-id') });

    const missingKey = await requestJson(catalog(), '/api/v1/items', { method: 'POST', body: { name: 'a', sku: 'b', priceCents: 1 } });
    expect(missingKey.status).toBe(400);

    const unknown = await requestJson(inventory(), `/api/v1/stock/${crypto.randomUUID()}`);
    expect(unknown.status).toBe(404);
    const badCursor = await requestJson(audit(), '/api/v1/events?cursor=nonsense');
    expect(badCursor.status).toBe(400);
  });

  it('pages through the audit log with cursors, never repeating or skipping an event', async () => {
    const first = await requestJson<{ items: { id: string }[]; next_cursor: string | null }>(audit(), '/api/v1/events?limit=1');
    expect(first.body.items).toHaveLength(1);
    expect(first.body.next_cursor).not.toBeNull();
    const second = await requestJson<{ items: { id: string }[] }>(audit(), `/api/v1/events?limit=1&cursor=${first.body.next_cursor}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0]?.id).not.toBe(first.body.items[0]?.id);
    const all = await requestJson<{ items: { id: string }[] }>(audit(), '/api/v1/events?limit=2');
    expect(all.body.items.map((event) => event.id)).toEqual([first.body.items[0]?.id, second.body.items[0]?.id]);
  });

  // Three graceful stops and restarts: each start can take 10 s or more on a loaded 2-core machine.
  it('loses nothing and applies nothing twice when each service is stopped with SIGTERM mid-stream', { timeout: 120_000 }, async () => {
    const total = 150;
    const accepted = new Map<string, string>();
    const write = async (index: number): Promise<void> => {
      const key = `stream-${index}-${vhost.name}`;
      for (;;) {
        try {
          const response = await requestJson<Item>(catalog(), '/api/v1/items', {
            method: 'POST',
            body: { name: `Streamed ${index}`, sku: `STREAM-${index}-${vhost.name}`, priceCents: index },
            headers: { 'Idempotency-Key': key },
          });
          if (response.status === 201) {
            accepted.set(key, response.body.id);
            return;
          }
          if (response.status !== 409 && response.status !== 503) throw new Error(`unexpected ${response.status}`);
        } catch (error) {
          if (error instanceof Error && error.message.startsWith('unexpected')) throw error;
        }
        // The service is restarting: retry the same write with the same key, as a client would.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const writer = (async () => {
      for (let index = 0; index < total; index += 4) {
        await Promise.all([0, 1, 2, 3].filter((offset) => index + offset < total).map((offset) => write(index + offset)));
      }
    })();
    for (const [service, after] of [['inventory', 30], ['audit', 70], ['catalog', 110]] as const) {
      await waitFor(() => accepted.size >= after, { description: `${after} accepted writes` });
      expect(await system.services[service].stop()).toBe(0);
      await system.restart(service);
    }
    await writer;
    expect(accepted.size).toBe(total);
    const ids = [...accepted.values()];

    const count = async (service: 'catalog' | 'inventory' | 'audit', query: (sql: postgres.Sql) => Promise<{ count: string }[]>) => {
      const sql = postgres(system.databaseUrl(service), { max: 1, onnotice: () => {} });
      try {
        const [row] = await query(sql);
        return Number(row?.count);
      } finally {
        await sql.end();
      }
    };
    await waitFor(async () => (await count('inventory', (sql) => sql`select count(*) from stock where item_id = any(${ids})`)) === total, {
      description: 'stock for every accepted item',
      timeoutMs: 30_000,
    });
    await waitFor(async () => (await count('audit', (sql) => sql`select count(*) from events where subject = any(${ids})`)) === total, {
      description: 'an audit entry for every accepted item',
      timeoutMs: 30_000,
    });
    expect(await count('catalog', (sql) => sql`select count(*) from outbox_messages where subject = any(${ids})`)).toBe(total);
    expect(await count('catalog', (sql) => sql`select count(*) from outbox_messages where published_at is null`)).toBe(0);
    expect(await count('audit', (sql) => sql`select count(*) - count(distinct id) as count from events`)).toBe(0);
    expect(await count('inventory', (sql) => sql`select count(*) from inbox_messages where handler = 'inventory.item-created'`)).toBeGreaterThanOrEqual(total);
    expect(await queueMessageCount(vhost, 'inventory.item-created.dlq')).toBe(0);
    expect(await queueMessageCount(vhost, 'audit.event-log.dlq')).toBe(0);
  });
});
