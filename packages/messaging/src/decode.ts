import { envelopeReaderSchema, envelopeSchema, findEventDefinition, upcast, type EventDefinition } from '@warren/contracts';
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

/**
 * How strictly a delivery is read. `tolerant` is the consumer's: envelope and data may carry fields
 * the contract does not name (a newer producer's), which are kept in the message; a consumer of
 * every event (`all`) also takes types and versions it was never told about, data as received.
 * `exact` is the producer's check of what it is about to send: the contract as written, closed
 * objects and known versions only.
 */
export type ReadMode = 'tolerant' | 'exact';

function issues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`).join('; ');
}

function parseData(definition: EventDefinition, data: unknown, mode: ReadMode): unknown {
  const parsed = (mode === 'exact' ? definition.data : definition.reader).safeParse(data);
  if (!parsed.success) {
    throw new PermanentError(`${definition.routingKey} data breaks its schema: ${issues(parsed.error)}`, { code: 'invalid_data' });
  }
  return parsed.data;
}

/** The handled version of `type` that an event at `version` is read as: the oldest newer one. */
function upcastTarget(handled: readonly EventDefinition[], version: number): EventDefinition | undefined {
  return handled.filter((definition) => definition.version > version).sort((a, b) => a.version - b.version)[0];
}

/**
 * Parses and validates a delivery against the contract in `mode`: JSON, then the envelope, then
 * the event's own `data` schema; an event older than the version its consumer handles is upcast
 * to it through the contract's upcasters (`upcastFrom` says from which). Anything broken is
 * permanent (no retry can fix it), thrown as `PermanentError` with a reason a human can act on:
 * unparsable JSON (`invalid_json`), an invalid envelope (`invalid_envelope`), data that breaks its
 * schema (`invalid_data`), a type or version the contract does not define (`unknown_event`; a
 * tolerant consumer of every event takes those), an event this consumer does not take
 * (`unhandled_event`), or an upcaster that failed (`upcast_failed`).
 */
export function decodeDelivery(raw: RawDelivery, accepts: readonly EventDefinition[] | 'all', mode: ReadMode): ConsumedMessage {
  let body: unknown;
  try {
    body = JSON.parse(raw.content.toString('utf8'));
  } catch (cause) {
    throw new PermanentError('message body is not valid JSON', { code: 'invalid_json', cause });
  }
  const parsed = (mode === 'exact' ? envelopeSchema : envelopeReaderSchema).safeParse(body);
  if (!parsed.success) {
    throw new PermanentError(`invalid envelope: ${issues(parsed.error)}`, { code: 'invalid_envelope' });
  }
  const envelope = parsed.data;
  const { type, version } = envelope;
  const known = findEventDefinition(type, version);
  /** The message handed on; read as `asVersion` when that is not the version it arrived at. */
  const message = (data: unknown, asVersion = version): ConsumedMessage => ({
    envelope: { ...envelope, version: asVersion, data },
    headers: raw.headers,
    correlationId: raw.correlationId,
    queue: raw.queue,
    routingKey: raw.routingKey,
    redelivered: raw.redelivered,
    attempt: raw.attempt,
    ...(asVersion === version ? {} : { upcastFrom: version }),
  });

  if (accepts === 'all') {
    if (known) return message(parseData(known, envelope.data, mode));
    if (mode === 'exact') throw new PermanentError(`unknown event ${type} v${version}`, { code: 'unknown_event' });
    // A well-formed event of a type or version this build does not know: taken as it came.
    if (envelope.data === undefined) throw new PermanentError('invalid envelope: data: required', { code: 'invalid_envelope' });
    return message(envelope.data);
  }

  const handled = accepts.filter((definition) => definition.type === type);
  if (handled.length === 0) {
    throw new PermanentError(`${type} v${version} is not handled by ${raw.queue}`, { code: 'unhandled_event' });
  }
  if (!known) throw new PermanentError(`unknown event ${type} v${version}`, { code: 'unknown_event' });
  const data = parseData(known, envelope.data, mode);
  if (handled.includes(known)) return message(data);
  const target = upcastTarget(handled, version);
  if (!target) {
    throw new PermanentError(`${known.routingKey} is newer than ${raw.queue} handles (v${handled.map((definition) => definition.version).join(', v')})`, {
      code: 'unhandled_event',
    });
  }
  try {
    return message(upcast(type, version, target.version, data), target.version);
  } catch (cause) {
    throw new PermanentError(`cannot upcast ${known.routingKey} to ${target.routingKey}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      code: 'upcast_failed',
      cause,
    });
  }
}
