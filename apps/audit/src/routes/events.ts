import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { and, asc, eq, gt, type SQL } from 'drizzle-orm';
import { auditEventListResponse, auditEventQuery, type AuditEventResponse } from '@warren/contracts';
import { bearer, commonProblems, decodeCursor, encodeCursor, problemResponses, requestIdHeader, type EdgeEnv } from '@warren/http';
import type { ServiceDeps } from '@warren/service';
import { events } from '../db/schema.ts';


const listRoute = createRoute({
  method: 'get',
  path: '/api/v1/events',
  operationId: 'listEvents',
  tags: ['events'],
  summary: 'The event log: one row per event applied, oldest first',
  security: bearer('audit:read'),
  request: { query: auditEventQuery, headers: requestIdHeader },
  responses: {
    200: { description: 'A page of events; `next_cursor` is null on the last page', content: { 'application/json': { schema: auditEventListResponse.openapi('EventPage') } } },
    ...problemResponses(400, ...commonProblems),
  },
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
    actor: row.actor,
    causation_id: row.causationId,
    data: row.data,
    received_at: row.receivedAt.toISOString(),
  };
}

/** `GET /api/v1/events?type&correlation_id&subject&limit&cursor`, oldest applied first. */
export function registerEventRoutes(app: OpenAPIHono<EdgeEnv>, { db }: Pick<ServiceDeps, 'db'>): void {
  app.openapi(listRoute, async (c) => {
    const query = c.req.valid('query');
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
    return c.json({ items: page.map(toResponse), next_cursor: rows.length > query.limit && last ? encodeCursor(String(last.seq)) : null }, 200);
  });
}
