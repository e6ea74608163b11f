import { z } from './zod.ts';

/**
 * The message body every event travels in (ARCHITECTURE.md, "message body").
 * `data` is validated separately, against the definition its `type` and `version` name.
 */
export const envelopeSchema = z
  .object({
    id: z.uuid({ version: 'v7' }),
    type: z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/, 'type must look like item.created'),
    version: z.number().int().positive(),
    timestamp: z.iso.datetime({ offset: true }),
    source_service: z.string().min(1),
    subject: z.string().min(1),
    data: z.unknown(),
    /** Who and what caused the event, beyond the AMQP headers: `actor` is the caller's subject. */
    metadata: z
      .object({ actor: z.string().min(1).max(200).optional() })
      .strict()
      .optional(),
  })
  .strict();

/** An envelope whose `data` is of type `TData`. */
export type Envelope<TData = unknown> = Omit<z.infer<typeof envelopeSchema>, 'data'> & { data: TData };
