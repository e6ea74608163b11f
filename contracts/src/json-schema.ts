import { z } from './zod.ts';
import type { EventDefinition } from './define-event.ts';
import { envelopeSchema } from './envelope.ts';
import { eventDefinitions } from './registry.ts';

const draft = 'https://json-schema.org/draft/2020-12/schema';

/** The whole message body of one event version: the envelope with `type` and `version` pinned and `data` the event's schema. */
export function eventMessageSchema(definition: EventDefinition) {
  return envelopeSchema.extend({
    type: z.literal(definition.type),
    version: z.literal(definition.version),
    data: definition.data,
  });
}

/**
 * JSON Schema documents derived from the contract: the envelope, and one per event version with
 * the envelope's `type`/`version` pinned and `data` replaced by the event's schema.
 * Keys are the file names under `generated/json-schema/`.
 */
export function jsonSchemas(): Record<string, unknown> {
  const documents: Record<string, unknown> = {
    'envelope.json': { $id: 'urn:warren:envelope', ...z.toJSONSchema(envelopeSchema, { target: 'draft-2020-12' }) },
  };
  for (const definition of eventDefinitions) {
    documents[`${definition.routingKey}.json`] = {
      $schema: draft,
      $id: `urn:warren:event:${definition.routingKey}`,
      title: definition.routingKey,
      description: `${definition.description} Subject: ${definition.subject}.`,
      ...z.toJSONSchema(eventMessageSchema(definition), { target: 'draft-2020-12' }),
    };
  }
  return documents;
}
