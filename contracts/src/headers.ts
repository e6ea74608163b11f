import { z } from './zod.ts';

/**
 * The AMQP headers every event carries (ARCHITECTURE.md, "AMQP headers"), as the AsyncAPI
 * documents describe them. `correlation_id` and `source_service` are always set; the rest only
 * when there is something to carry. A header not listed here may appear (retries and
 * dead-lettering add their own), so readers must ignore unknown headers.
 */
export const eventHeadersSchema = z.looseObject({
  correlation_id: z.string().min(1).describe("The request's X-Request-Id (generated when absent); also the AMQP correlationId property."),
  source_service: z.string().min(1).describe('The publishing service; also the AMQP appId property.'),
  idempotency_key: z.string().min(1).optional().describe('The Idempotency-Key of the HTTP write that caused the event.'),
  causation_id: z.uuid().optional().describe('The id of the event whose handling caused this one, when one did.'),
  traceparent: z.string().min(1).optional().describe('W3C Trace Context of the write that caused the event.'),
  tracestate: z.string().min(1).optional().describe('W3C Trace Context vendor state, with traceparent.'),
});
