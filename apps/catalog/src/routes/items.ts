import { asc, eq, gt } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { createItemRequest, itemCreatedV1, pageQuery, type ItemResponse } from '@warren/contracts';
import { ConflictError, NotFoundError, decodeCursor, encodeCursor, idempotency, parseJsonBody, parseParams, parseQuery, respondIdempotently, type EdgeEnv } from '@warren/http';
import { newEventId } from '@warren/messaging';
import type { ServiceDeps } from '@warren/service';
import { items } from '../db/schema.ts';

const idParams = z.object({ id: z.uuid() });
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function toResponse(row: typeof items.$inferSelect): ItemResponse {
  return { id: row.id, name: row.name, sku: row.sku, priceCents: row.priceCents, createdAt: row.createdAt.toISOString() };
}

function isUniqueViolation(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if ((current as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/** `POST /api/v1/items`, `GET /api/v1/items/{id}`, `GET /api/v1/items?limit&cursor`. */
export function itemRoutes({ db, outbox, config }: Pick<ServiceDeps, 'db' | 'outbox' | 'config'>): Hono<EdgeEnv> {
  const routes = new Hono<EdgeEnv>();
  routes.use(idempotency({ db, leaseMs: config.IDEMPOTENCY_LEASE_MS }));

  routes.post('/', async (c) => {
    const input = await parseJsonBody(c, createItemRequest);
    const id = newEventId();
    try {
      return await respondIdempotently(c, db, async (tx) => {
        const [row] = await tx.insert(items).values({ id, ...input, createdAt: new Date() }).returning();
        if (!row) throw new Error('insert returned no row');
        const item = toResponse(row);
        await outbox.add(tx, {
          definition: itemCreatedV1,
          subject: item.id,
          data: item,
          cause: { correlationId: c.get('requestId'), idempotencyKey: c.req.header('idempotency-key') },
        });
        return { status: 201, body: item, headers: { Location: `/api/v1/items/${item.id}` } };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`An item with sku ${input.sku} already exists.`, { code: 'sku_taken' });
      throw error;
    }
  });

  routes.get('/:id', async (c) => {
    const { id } = parseParams(c, idParams);
    const [row] = await db.select().from(items).where(eq(items.id, id));
    if (!row) throw new NotFoundError(`No item ${id}.`);
    return c.json(toResponse(row));
  });

  routes.get('/', async (c) => {
    const { limit, cursor } = parseQuery(c, pageQuery);
    const after = cursor === undefined ? undefined : decodeCursor(cursor, uuidPattern);
    const rows = await db
      .select()
      .from(items)
      .where(after === undefined ? undefined : gt(items.id, after))
      .orderBy(asc(items.id))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return c.json({ items: page.map(toResponse), next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null });
  });

  return routes;
}
