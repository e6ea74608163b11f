import { envelopeSchema, findEventDefinition, type EventDefinition } from '@warren/contracts';
import { PermanentError } from './errors.ts';
import type { ConsumedMessage } from './message.ts';

/** What a raw delivery carries, independent of the AMQP client. */
export interface RawDelivery {
  content: Buffer;
  headers: Readonly<Record<string, unknown>>;
  correlationId: string | undefined;
  queue: string;
  routingKey: string;
  redelivered: boolean;
  attempt: number;
}

function issues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/**
 * Parses and validates a delivery against the contract: JSON, then the envelope, then the event's
 * own `data` schema. Anything wrong is permanent (no retry can fix it): unparsable JSON, an
 * invalid envelope, an unknown type or version, a type this consumer does not accept, or data
 * that breaks its schema. Throws `PermanentError` with a reason a human can act on.
 */
export function decodeDelivery(raw: RawDelivery, accepts: readonly EventDefinition[] | 'all'): ConsumedMessage {
  let body: unknown;
  try {
    body = JSON.parse(raw.content.toString('utf8'));
  } catch (cause) {
    throw new PermanentError('message body is not valid JSON', { code: 'invalid_json', cause });
  }
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) {
    throw new PermanentError(`invalid envelope: ${issues(envelope.error)}`, { code: 'invalid_envelope' });
  }
  const { type, version } = envelope.data;
  const definition = findEventDefinition(type, version);
  if (!definition) {
    throw new PermanentError(`unknown event ${type} v${version}`, { code: 'unknown_event' });
  }
  if (accepts !== 'all' && !accepts.includes(definition)) {
    throw new PermanentError(`${definition.routingKey} is not handled by ${raw.queue}`, { code: 'unhandled_event' });
  }
  const data = definition.data.safeParse(envelope.data.data);
  if (!data.success) {
    throw new PermanentError(`${definition.routingKey} data breaks its schema: ${issues(data.error)}`, { code: 'invalid_data' });
  }
  return {
    envelope: { ...envelope.data, data: data.data },
    headers: raw.headers,
    correlationId: raw.correlationId,
    queue: raw.queue,
    routingKey: raw.routingKey,
    redelivered: raw.redelivered,
    attempt: raw.attempt,
  };
}
