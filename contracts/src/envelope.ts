import { z } from './zod.ts';
import { actorSchema, storableText } from './text.ts';
import { tolerant } from './tolerant.ts';

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
    source_service: storableText().min(1),
    subject: storableText().min(1),
    data: z.unknown(),
    /**
     * Who and what caused the event, beyond the AMQP headers: `actor` is the caller's subject,
     * as long as OpenID Connect allows a `sub` to be (255), so every caller the edge admits fits.
     */
    metadata: z
      .object({ actor: actorSchema.optional() })
      .strict()
      .optional(),
  })
  .strict();

/** An envelope whose `data` is of type `TData`. */
export type Envelope<TData = unknown> = Omit<z.infer<typeof envelopeSchema>, 'data'> & { data: TData };

/**
 * The envelope as a consumer reads it: the same fields and checks, open to fields it does not know
 * (a newer producer's), which stay in the parsed value for whoever stores the event.
 */
export const envelopeReaderSchema = tolerant(envelopeSchema);
