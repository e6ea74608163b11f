import type { EventDefinition } from './define-event.ts';
import { itemCreatedV1 } from './events/item-created.v1.ts';
import { itemCreatedV2 } from './events/item-created.v2.ts';
import { stockAdjustedV1 } from './events/stock-adjusted.v1.ts';

/** Every event Warren knows, at every version still accepted. */
export const eventDefinitions = [itemCreatedV1, itemCreatedV2, stockAdjustedV1] as const;

export type KnownEventDefinition = (typeof eventDefinitions)[number];

/** Finds the definition of `type` at `version`, or `undefined` when it is not part of the contract. */
export function findEventDefinition(type: string, version: number): EventDefinition | undefined {
  return eventDefinitions.find((definition) => definition.type === type && definition.version === version);
}

/** The newest defined version of `type`, or `undefined` when the contract has no such type. */
export function latestEventDefinition(type: string): EventDefinition | undefined {
  return eventDefinitions.filter((definition) => definition.type === type).reduce<EventDefinition | undefined>((latest, definition) => (latest && latest.version > definition.version ? latest : definition), undefined);
}
