import { and, eq, gte, sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { adjustStockRequest, stockAdjustedV1, type AdjustmentResponse, type StockResponse } from '@warren/contracts';
import { ConflictError, NotFoundError, idempotency, parseJsonBody, parseParams, respondIdempotently, type EdgeEnv } from '@warren/http';
import { newEventId } from '@warren/messaging';
import type { ServiceDeps } from '@warren/service';
import { adjustments, stock } from '../db/schema.ts';

const itemParams = z.object({ itemId: z.uuid() });

/** `GET /api/v1/stock/{itemId}`, `POST /api/v1/stock/{itemId}/adjustments`. */
export function stockRoutes({ db, outbox, config }: Pick<ServiceDeps, 'db' | 'outbox' | 'config'>): Hono<EdgeEnv> {
  const routes = new Hono<EdgeEnv>();

  routes.get('/:itemId', async (c) => {
    const { itemId } = parseParams(c, itemParams);
    const [row] = await db.select().from(stock).where(eq(stock.itemId, itemId));
    if (!row) throw new NotFoundError(`No stock for item ${itemId}: the item does not exist or its creation is not applied yet.`);
    return c.json({ itemId: row.itemId, sku: row.sku, onHand: row.onHand } satisfies StockResponse);
  });

  routes.post('/:itemId/adjustments', idempotency({ db, leaseMs: config.IDEMPOTENCY_LEASE_MS }), async (c) => {
    const { itemId } = parseParams(c, itemParams);
    const { delta, reason } = await parseJsonBody(c, adjustStockRequest);
    return respondIdempotently(c, db, async (tx) => {
      const [updated] = await tx
        .update(stock)
        .set({ onHand: sql`${stock.onHand} + ${delta}`, updatedAt: new Date() })
        .where(and(eq(stock.itemId, itemId), gte(sql`${stock.onHand} + ${delta}`, 0)))
        .returning();
      if (!updated) {
        const [existing] = await tx.select({ onHand: stock.onHand }).from(stock).where(eq(stock.itemId, itemId));
        if (!existing) throw new NotFoundError(`No stock for item ${itemId}.`);
        throw new ConflictError(`Adjusting by ${delta} would leave ${existing.onHand + delta} on hand.`, { code: 'insufficient_stock' });
      }
      const adjustment: AdjustmentResponse = {
        id: newEventId(),
        itemId,
        delta,
        reason,
        onHand: updated.onHand,
        createdAt: new Date().toISOString(),
      };
      await tx.insert(adjustments).values({ ...adjustment, createdAt: new Date(adjustment.createdAt) });
      await outbox.add(tx, {
        definition: stockAdjustedV1,
        subject: itemId,
        data: { adjustmentId: adjustment.id, itemId, sku: updated.sku, delta, reason, onHand: updated.onHand, adjustedAt: adjustment.createdAt },
        cause: { correlationId: c.get('requestId'), idempotencyKey: c.req.header('idempotency-key') },
      });
      return { status: 201, body: adjustment, headers: { Location: `/api/v1/stock/${itemId}` } };
    });
  });

  return routes;
}
