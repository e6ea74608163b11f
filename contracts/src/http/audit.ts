import { z } from '../zod.ts';
import { pageQuery } from './pagination.ts';
import { storableText } from '../text.ts';

/**
 * `GET /api/v1/events?type&correlation_id&subject&limit&cursor`: each filter is 1–200 characters
 * PostgreSQL can compare (no NUL, no unpaired surrogate), so a filter is a 400 or a query, never a 500.
 */
export const auditEventQuery = pageQuery.extend({
  type: storableText().min(1).max(200).optional().openapi({ example: 'item.created', description: 'Event type, without the version' }),
  correlation_id: storableText().min(1).max(200).optional().openapi({ description: 'The X-Request-Id of the write that caused the event' }),
  subject: storableText().min(1).max(200).optional().openapi({ description: 'The aggregate id (e.g. the item id)' }),
});

export const auditEventResponse = z.object({
  id: z.uuid(),
  type: z.string(),
  version: z.number().int(),
  timestamp: z.iso.datetime({ offset: true }),
  source_service: z.string(),
  subject: z.string(),
  correlation_id: z.string().nullable(),
  /** Who caused the event: the subject of the caller's token (`anonymous` when authentication is off). */
  actor: z.string().nullable(),
  causation_id: z.string().nullable(),
  data: z.unknown(),
  received_at: z.iso.datetime({ offset: true }),
});
export type AuditEventResponse = z.infer<typeof auditEventResponse>;

export const auditEventListResponse = z.object({
  items: z.array(auditEventResponse),
  next_cursor: z.string().nullable(),
});
