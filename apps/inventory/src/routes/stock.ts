import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { and, between, eq, sql } from 'drizzle-orm';
import { adjustmentResponse, adjustStockRequest, maxInt32, stockAdjustedV1, stockResponse, type AdjustmentResponse } from '@warren/contracts';
import {
  ConflictError,
  NotFoundError,
  bearer,
  commonProblems,
  idempotency,
  problemResponses,
  requestIdHeader,
  respondIdempotently,
  writeHeaders,
  writeResponseHeaders,
  type EdgeEnv,
} from '@warren/http';
import { newEventId } from '@warren/messaging';
import type { ServiceDeps } from '@warren/service';
import { adjustments, stock } from '../db/schema.ts';

const itemId = '01938a2e-7c4b-7d1a-9f3e-2b8c4d5e6f70';
const itemParams = z.object({ itemId: z.uuid().openapi({ param: { name: 'itemId', in: 'path' }, example: itemId }) });
const stockSchema = stockResponse.openapi('Stock', { example: { itemId, sku: 'LAMP-1', onHand: 12 } });
const adjustmentSchema = adjustmentResponse.openapi('Adjustment', {
  example: { id: '01938a2f-0000-7000-8000-000000000001', itemId, delta: 5, reason: 'received', onHand: 17, createdAt: '2026-11-26T08:00:00.000Z' },
});

/** `GET /api/v1/stock/{itemId}`, `POST /api/v1/stock/{itemId}/adjustments`. */
export function registerStockRoutes(app: OpenAPIHono<EdgeEnv>, { db, outbox, config, faults }: Pick<ServiceDeps, 'db' | 'outbox' | 'config' | 'faults'>): void {
  const read = createRoute({
    method: 'get',
    path: '/api/v1/stock/{itemId}',
    operationId: 'getStock',
    tags: ['stock'],
    summary: "An item's stock (exists once its item.created is applied, at 0)",
    security: bearer('inventory:read'),
    request: { params: itemParams, headers: requestIdHeader },
    responses: { 200: { description: 'The stock', content: { 'application/json': { schema: stockSchema } } }, ...problemResponses(400, 404, ...commonProblems) },
  });
  app.openapi(read, async (c) => {
    const { itemId: id } = c.req.valid('param');
    const [row] = await db.select().from(stock).where(eq(stock.itemId, id));
    if (!row) throw new NotFoundError(`No stock for item ${id}: the item does not exist or its creation is not applied yet.`);
    return c.json({ itemId: row.itemId, sku: row.sku, onHand: row.onHand }, 200);
  });

  const adjust = createRoute({
    method: 'post',
    path: '/api/v1/stock/{itemId}/adjustments',
    operationId: 'adjustStock',
    tags: ['stock'],
    summary: 'Adjust stock by a delta (publishes stock.adjusted); never below zero',
    security: bearer('inventory:write'),
    middleware: [idempotency({ db, leaseMs: config.IDEMPOTENCY_LEASE_MS, ...(faults.failpoint ? { failpoint: faults.failpoint } : {}) })] as const,
    request: {
      params: itemParams,
      headers: writeHeaders,
      body: { required: true, content: { 'application/json': { schema: adjustStockRequest.openapi('AdjustStock', { example: { delta: 5, reason: 'received' } }) } } },
    },
    responses: {
      201: {
        description: 'Adjusted; also the replayed answer of a repeated Idempotency-Key',
        headers: { Location: { schema: { type: 'string' }, description: "The item's stock" }, ...writeResponseHeaders },
        content: { 'application/json': { schema: adjustmentSchema } },
      },
      ...problemResponses(400, 404, 405, 409, 413, 415, 422, ...commonProblems),
    },
  });
  app.openapi(adjust, async (c) => {
    const { itemId: id } = c.req.valid('param');
    const { delta, reason } = c.req.valid('json');
    return respondIdempotently(c, db, async (tx) => {
      const [updated] = await tx
        .update(stock)
        .set({ onHand: sql`${stock.onHand} + ${delta}`, updatedAt: new Date() })
        // Summed as bigint: on_hand is an integer column, and near its maximum the sum would overflow (a 500).
        .where(and(eq(stock.itemId, id), between(sql`${stock.onHand}::bigint + ${delta}`, 0, maxInt32)))
        .returning();
      if (!updated) {
        const [existing] = await tx.select({ onHand: stock.onHand }).from(stock).where(eq(stock.itemId, id));
        if (!existing) throw new NotFoundError(`No stock for item ${id}.`);
        if (existing.onHand + delta > maxInt32) throw new ConflictError(`Adjusting by ${delta} would leave more than ${maxInt32} on hand.`, { code: 'stock_limit' });
        throw new ConflictError(`Adjusting by ${delta} would leave ${existing.onHand + delta} on hand.`, { code: 'insufficient_stock' });
      }
      const adjustment: AdjustmentResponse = { id: newEventId(), itemId: id, delta, reason, onHand: updated.onHand, createdAt: new Date().toISOString() };
      await tx.insert(adjustments).values({ ...adjustment, createdAt: new Date(adjustment.createdAt) });
      await outbox.add(tx, {
        definition: stockAdjustedV1,
        subject: id,
        data: { adjustmentId: adjustment.id, itemId: id, sku: updated.sku, delta, reason, onHand: updated.onHand, adjustedAt: adjustment.createdAt },
        cause: { correlationId: c.get('requestId'), idempotencyKey: c.get('idempotencyKey'), actor: c.get('caller') },
      });
      return { status: 201 as const, body: adjustment, headers: { Location: `/api/v1/stock/${id}` } };
    });
  });
}
