import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { asc, eq, gt, sql } from 'drizzle-orm';
import { createItemRequest, itemCreatedV1, itemCreatedV2, itemListResponse, itemResponse, pageQuery, type EventDefinition, type ItemResponse } from '@warren/contracts';
import {
  ConflictError,
  NotFoundError,
  bearer,
  commonProblems,
  decodeCursor,
  encodeCursor,
  idempotency,
  problemResponses,
  requestIdHeader,
  respondIdempotently,
  writeHeaders,
  writeResponseHeaders,
  type EdgeEnv,
} from '@warren/http';
import { newEventId } from '@warren/messaging';
import type { EventVersion } from '@warren/outbox';
import type { ServiceDeps } from '@warren/service';
import { items } from '../db/schema.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const itemExample = { id: '01938a2e-7c4b-7d1a-9f3e-2b8c4d5e6f70', name: 'Desk lamp', sku: 'LAMP-1', priceCents: 2599, category: 'lighting', createdAt: '2026-11-26T08:00:00.000Z' };
const item = itemResponse.openapi('Item', { example: itemExample });
const idParams = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: itemExample.id }) });

function toResponse(row: typeof items.$inferSelect): ItemResponse {
  return { id: row.id, name: row.name, sku: row.sku, priceCents: row.priceCents, category: row.category, createdAt: row.createdAt.toISOString() };
}

/** item.created in each version the catalog publishes (`ITEM_CREATED_VERSIONS`, newest first); v1 has no category. */
function itemCreatedVersions(item: ItemResponse, versions: readonly number[]): EventVersion<EventDefinition>[] {
  const { category: _category, ...v1 } = item;
  return versions.map((version) => (version === 2 ? { definition: itemCreatedV2, data: item } : { definition: itemCreatedV1, data: v1 }));
}

function isUniqueViolation(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if ((current as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/** `POST /api/v1/items`, `GET /api/v1/items/{id}`, `GET /api/v1/items?limit&cursor`. */
export function registerItemRoutes(app: OpenAPIHono<EdgeEnv>, { db, outbox, config, faults }: Pick<ServiceDeps, 'db' | 'outbox' | 'config' | 'faults'>): void {
  const create = createRoute({
    method: 'post',
    path: '/api/v1/items',
    operationId: 'createItem',
    tags: ['items'],
    summary: 'Create an item (publishes item.created)',
    security: bearer('catalog:write'),
    middleware: [idempotency({ db, leaseMs: config.IDEMPOTENCY_LEASE_MS, ...(faults.failpoint ? { failpoint: faults.failpoint } : {}) })] as const,
    request: {
      headers: writeHeaders,
      body: { required: true, content: { 'application/json': { schema: createItemRequest.openapi('CreateItem', { example: { name: 'Desk lamp', sku: 'LAMP-1', priceCents: 2599, category: 'lighting' } }) } } },
    },
    responses: {
      201: {
        description: 'Created; also the replayed answer of a repeated Idempotency-Key',
        headers: { Location: { schema: { type: 'string' }, description: 'The new item' }, ...writeResponseHeaders },
        content: { 'application/json': { schema: item } },
      },
      ...problemResponses(400, 405, 409, 413, 415, 422, ...commonProblems),
    },
  });
  app.openapi(create, async (c) => {
    const input = c.req.valid('json');
    const id = newEventId();
    try {
      return await respondIdempotently(c, db, async (tx) => {
        const created: ItemResponse = { id, name: input.name, sku: input.sku, priceCents: input.priceCents, category: input.category, createdAt: new Date().toISOString() };
        // Written as SQL, not built per request, and sent together with the outbox row (one round
        // trip): this is the hot path of every write. A taken sku rejects with its unique violation.
        await Promise.all([
          tx.execute(sql`
            insert into items (id, name, sku, price_cents, category, created_at)
            values (${created.id}::uuid, ${created.name}, ${created.sku}, ${created.priceCents}::int, ${created.category}, ${created.createdAt}::timestamptz)`),
          // One event, in every version published during a migration window, under one envelope id.
          outbox.addVersions(tx, {
            subject: created.id,
            versions: itemCreatedVersions(created, config.ITEM_CREATED_VERSIONS),
            cause: { correlationId: c.get('requestId'), idempotencyKey: c.get('idempotencyKey'), actor: c.get('caller') },
          }),
        ]);
        return { status: 201, body: created, headers: { Location: `/api/v1/items/${created.id}` } };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`An item with sku ${input.sku} already exists.`, { code: 'sku_taken' });
      throw error;
    }
  });

  const read = createRoute({
    method: 'get',
    path: '/api/v1/items/{id}',
    operationId: 'getItem',
    tags: ['items'],
    summary: 'Read an item',
    security: bearer('catalog:read'),
    request: { params: idParams, headers: requestIdHeader },
    responses: { 200: { description: 'The item', content: { 'application/json': { schema: item } } }, ...problemResponses(400, 404, ...commonProblems) },
  });
  app.openapi(read, async (c) => {
    const { id } = c.req.valid('param');
    const [row] = await db.select().from(items).where(eq(items.id, id));
    if (!row) throw new NotFoundError(`No item ${id}.`);
    return c.json(toResponse(row), 200);
  });

  const list = createRoute({
    method: 'get',
    path: '/api/v1/items',
    operationId: 'listItems',
    tags: ['items'],
    summary: 'List items, oldest first, a page at a time',
    security: bearer('catalog:read'),
    request: { query: pageQuery, headers: requestIdHeader },
    responses: {
      200: { description: 'A page of items; `next_cursor` is null on the last page', content: { 'application/json': { schema: itemListResponse.openapi('ItemPage') } } },
      ...problemResponses(400, ...commonProblems),
    },
  });
  app.openapi(list, async (c) => {
    const { limit, cursor } = c.req.valid('query');
    const after = cursor === undefined ? undefined : decodeCursor(cursor, uuidPattern);
    const rows = await db
      .select()
      .from(items)
      .where(after === undefined ? undefined : gt(items.id, after))
      .orderBy(asc(items.id))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return c.json({ items: page.map(toResponse), next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null }, 200);
  });
}
