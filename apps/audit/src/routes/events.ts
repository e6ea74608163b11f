import { and, asc, eq, gt, type SQL } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { pageQuery, type AuditEventResponse } from '@warren/contracts';
import { decodeCursor, encodeCursor, parseQuery, type EdgeEnv } from '@warren/http';
import type { ServiceDeps } from '@warren/service';
import { events } from '../db/schema.ts';

const eventQuery = pageQuery.extend({
  type: z.string().min(1).max(200).optional(),
  correlation_id: z.string().min(1).max(200).optional(),
  subject: z.string().min(1).max(200).optional(),
});

function toResponse(row: typeof events.$inferSelect): AuditEventResponse {
  return {
    id: row.id,
    type: row.type,
    version: row.version,
    timestamp: row.timestamp.toISOString(),
    source_service: row.sourceService,
    subject: row.subject,
    correlation_id: row.correlationId,
    causation_id: row.causationId,
    data: row.data,
    received_at: row.receivedAt.toISOString(),
  };
}

/** `GET /api/v1/events?type&correlation_id&subject&limit&cursor`, oldest applied first. */
export function eventRoutes({ db }: Pick<ServiceDeps, 'db'>): Hono<EdgeEnv> {
  const routes = new Hono<EdgeEnv>();
  routes.get('/', async (c) => {
    const query = parseQuery(c, eventQuery);
    const filters: SQL[] = [];
    if (query.type) filters.push(eq(events.type, query.type));
    if (query.correlation_id) filters.push(eq(events.correlationId, query.correlation_id));
    if (query.subject) filters.push(eq(events.subject, query.subject));
    if (query.cursor) filters.push(gt(events.seq, Number(decodeCursor(query.cursor, /^\d{1,18}$/))));
    const rows = await db
      .select()
      .from(events)
      .where(and(...filters))
      .orderBy(asc(events.seq))
      .limit(query.limit + 1);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return c.json({ items: page.map(toResponse), next_cursor: rows.length > query.limit && last ? encodeCursor(String(last.seq)) : null });
  });
  return routes;
}
