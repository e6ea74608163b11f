import type { z } from './zod.ts';
import { tolerant } from './tolerant.ts';

/** One event type at one version, defined once as data: the schema of its `data` is the contract. */
export interface EventDefinition<TType extends string = string, TVersion extends number = number, TData extends z.ZodType = z.ZodType> {
  readonly type: TType;
  readonly version: TVersion;
  /** `<type>.v<version>`: the AMQP routing key and `type` property. */
  readonly routingKey: `${TType}.v${TVersion}`;
  readonly description: string;
  /** What `subject` (the aggregate id) means for this event. */
  readonly subject: string;
  /** The schema of `data` as the producer writes it: exact (closed objects). */
  readonly data: TData;
  /**
   * The schema of `data` as a consumer reads it: `data` with every object open, so fields a newer
   * producer added are kept, not refused (`tolerant`). Derived, never written by hand.
   */
  readonly reader: TData;
}

/** The `data` type of an event definition. */
export type EventData<TDefinition extends EventDefinition> = z.infer<TDefinition['data']>;

/** Builds the routing key of an event: `item.created` v1 → `item.created.v1`. */
export function routingKeyOf<TType extends string, TVersion extends number>(type: TType, version: TVersion): `${TType}.v${TVersion}` {
  return `${type}.v${version}`;
}

/** Declares an event; the routing key and the reader's schema are derived, never written by hand. */
export function defineEvent<TType extends string, TVersion extends number, TData extends z.ZodType>(definition: {
  type: TType;
  version: TVersion;
  description: string;
  subject: string;
  data: TData;
}): EventDefinition<TType, TVersion, TData> {
  return { ...definition, routingKey: routingKeyOf(definition.type, definition.version), reader: tolerant(definition.data) };
}
