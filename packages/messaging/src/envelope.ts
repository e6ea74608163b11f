import type { Envelope, EventData, EventDefinition } from '@warren/contracts';
import { uuidV7 } from './event-id.ts';

/** A new time-ordered event id (UUIDv7): ids made by one process sort in the order they were made. */
export function newEventId(): string {
  return uuidV7();
}

export interface CreateEnvelopeInput<TDefinition extends EventDefinition> {
  definition: TDefinition;
  sourceService: string;
  subject: string;
  data: EventData<TDefinition>;
  id?: string;
  timestamp?: Date;
  /** The subject of the caller that caused the event (from its token), kept as `metadata.actor`. */
  actor?: string;
}

/**
 * Wraps `data` in the message body every event travels in. The data is parsed with the
 * definition's schema first, so a producer can never emit an event its consumers would reject.
 * Throws the zod error when `data` breaks the contract.
 */
export function createEnvelope<TDefinition extends EventDefinition>(input: CreateEnvelopeInput<TDefinition>): Envelope<EventData<TDefinition>> {
  return envelopeOf({ ...input, data: input.definition.data.parse(input.data) as EventData<TDefinition> });
}

/**
 * The envelope around `data` as given, unchecked: for a producer that checks the finished
 * envelope itself (the outbox decodes it exactly as its consumers will), so the data is not
 * validated twice. Anything else should use `createEnvelope`.
 */
export function envelopeOf<TDefinition extends EventDefinition>(input: CreateEnvelopeInput<TDefinition>): Envelope<EventData<TDefinition>> {
  return {
    id: input.id ?? newEventId(),
    type: input.definition.type,
    version: input.definition.version,
    timestamp: (input.timestamp ?? new Date()).toISOString(),
    source_service: input.sourceService,
    subject: input.subject,
    data: input.data,
    ...(input.actor ? { metadata: { actor: input.actor } } : {}),
  };
}
