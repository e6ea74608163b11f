import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceTestContext, type ServiceTestContext } from '@warren/service/testing';
import { createApp } from './app.ts';

const migrations = fileURLToPath(new URL('./db/migrations', import.meta.url));

describe('catalog edge', () => {
  let context: ServiceTestContext;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    context = await createServiceTestContext('catalog', migrations);
    app = createApp(context.deps);
  });
  afterAll(() => context.close());

  const post = (body: unknown, key: string, requestId?: string) =>
    app.request('/api/v1/items', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'idempotency-key': key, ...(requestId ? { 'x-request-id': requestId } : {}) },
    });

  it('creates an item and its item.created outbox row in one transaction', async () => {
    const response = await post({ name: 'Lamp', sku: 'LAMP-1', priceCents: 1999 }, 'key-lamp', 'req-lamp');
    expect(response.status).toBe(201);
    const item = (await response.json()) as { id: string; createdAt: string };
    expect(item).toMatchObject({ name: 'Lamp', sku: 'LAMP-1', priceCents: 1999 });
    expect(response.headers.get('location')).toBe(`/api/v1/items/${item.id}`);
    const rows = await context.sql<{ routing_key: string; subject: string; envelope: Record<string, unknown>; headers: Record<string, unknown> }[]>`
      select routing_key, subject, envelope, headers from outbox_messages`;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ routing_key: 'item.created.v2', subject: item.id });
    expect(rows[0]?.envelope).toMatchObject({ type: 'item.created', version: 2, source_service: 'catalog', subject: item.id, data: { ...item, category: 'uncategorised' } });
    expect(rows[0]?.headers).toEqual({ correlation_id: 'req-lamp', idempotency_key: 'key-lamp', source_service: 'catalog' });
  });

  it('refuses a second item with the same sku as a 409 problem and writes no event', async () => {
    const response = await post({ name: 'Other lamp', sku: 'LAMP-1', priceCents: 5 }, 'key-dup');
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 409, type: 'urn:warren:problem:sku_taken' });
    const [row] = await context.sql<{ count: string }[]>`select count(*) from outbox_messages`;
    expect(row?.count).toBe('1');
  });

  it('reads an item by id: 200, 404 for an unknown id, 400 for a malformed one', async () => {
    const [item] = await context.sql<{ id: string }[]>`select id from items`;
    expect((await app.request(`/api/v1/items/${item?.id}`)).status).toBe(200);
    expect((await app.request(`/api/v1/items/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await app.request('/api/v1/items/not-a-uuid')).status).toBe(400);
  });

  it('pages the item list with a cursor and bounds the limit', async () => {
    for (const n of [2, 3, 4]) expect((await post({ name: `Item ${n}`, sku: `SKU-${n}`, priceCents: n }, `key-${n}`)).status).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await app.request(`/api/v1/items?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const page = (await response.json()) as { items: { sku: string }[]; next_cursor: string | null };
      seen.push(...page.items.map((item) => item.sku));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(['LAMP-1', 'SKU-2', 'SKU-3', 'SKU-4']);
    expect((await app.request('/api/v1/items?limit=1000')).status).toBe(400);
    expect((await app.request('/api/v1/items?cursor=bogus')).status).toBe(400);
  });
  it('puts the Idempotency-Key into the event as the key store keeps it, without structured-field quotes', async () => {
    const quoted = await post({ name: 'Quoted', sku: 'QUOTED-1', priceCents: 1 }, '"quoted-key"');
    expect(quoted.status).toBe(201);
    const item = (await quoted.json()) as { id: string };
    const [row] = await context.sql<{ headers: Record<string, unknown> }[]>`select headers from outbox_messages where subject = ${item.id}`;
    expect(row?.headers['idempotency_key']).toBe('quoted-key');
    const bare = await post({ name: 'Quoted', sku: 'QUOTED-1', priceCents: 1 }, 'quoted-key');
    expect(bare.headers.get('idempotent-replayed')).toBe('true');
  });

  it('publishes each item in v2 and v1 under one envelope id during the migration window (ITEM_CREATED_VERSIONS=1,2)', async () => {
    const window = createApp({ ...context.deps, config: { ...context.deps.config, ITEM_CREATED_VERSIONS: [2, 1] } });
    const response = await window.request('/api/v1/items', {
      method: 'POST',
      body: JSON.stringify({ name: 'Both', sku: 'BOTH-1', priceCents: 3, category: 'garden' }),
      headers: { 'content-type': 'application/json', 'idempotency-key': 'key-both' },
    });
    expect(response.status).toBe(201);
    const item = (await response.json()) as { id: string; category: string };
    expect(item.category).toBe('garden');
    const rows = await context.sql<{ routing_key: string; envelope: { id: string; version: number; data: unknown } }[]>`
      select routing_key, envelope from outbox_messages where subject = ${item.id} order by seq`;
    expect(rows.map((row) => [row.routing_key, row.envelope.version])).toEqual([
      ['item.created.v2', 2],
      ['item.created.v1', 1],
    ]);
    expect(rows[0]?.envelope.id).toBe(rows[1]?.envelope.id);
    expect(rows[0]?.envelope.data).toEqual(item);
    const { category: _category, ...v1 } = item;
    expect(rows[1]?.envelope.data).toEqual(v1);
  });

  it('stores the category a client sends, returns it and publishes it in item.created v2', async () => {
    const response = await post({ name: 'Fern', sku: 'FERN-1', priceCents: 700, category: 'garden' }, 'key-fern');
    expect(response.status).toBe(201);
    const item = (await response.json()) as { id: string };
    expect(item).toMatchObject({ category: 'garden' });
    expect(await (await app.request(`/api/v1/items/${item.id}`)).json()).toMatchObject({ category: 'garden' });
    const [row] = await context.sql<{ envelope: { data: Record<string, unknown> } }[]>`select envelope from outbox_messages where subject = ${item.id}`;
    expect(row?.envelope.data['category']).toBe('garden');
  });
});
