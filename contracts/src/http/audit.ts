import { z } from '../zod.ts';

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
