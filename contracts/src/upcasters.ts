import type { EventData, EventDefinition } from './define-event.ts';
import { itemCreatedV1 } from './events/item-created.v1.ts';
import { itemCreatedV2, uncategorised } from './events/item-created.v2.ts';
import { eventDefinitions, findEventDefinition } from './registry.ts';

/**
 * Turns the `data` of one event version into the `data` of the next one: a pure function, no I/O,
 * no clock. It receives data its source version's reader accepted (fields it does not name
 * included) and must return data the next version's reader accepts; fields it does not touch are
 * carried over, so what a newer producer added survives the upcast.
 */
export interface Upcaster<TFrom extends EventDefinition = EventDefinition, TTo extends EventDefinition = EventDefinition> {
  readonly from: TFrom;
  readonly to: TTo;
  readonly upcast: (data: EventData<TFrom>) => EventData<TTo>;
}

function upcaster<TFrom extends EventDefinition, TTo extends EventDefinition>(step: Upcaster<TFrom, TTo>): Upcaster {
  if (step.from.type !== step.to.type || step.to.version !== step.from.version + 1) {
    throw new Error(`an upcaster goes from one version to the next of one type, not ${step.from.routingKey} → ${step.to.routingKey}`);
  }
  return step;
}

/** item.created v1 → v2: items created before categories existed are `uncategorised`. */
export const itemCreatedV1ToV2 = upcaster({
  from: itemCreatedV1,
  to: itemCreatedV2,
  upcast: (data) => ({ ...data, category: uncategorised }),
});

/** Every upcaster, one per step: v1 → v2, v2 → v3… of each type that has more than one version. */
export const upcasters: readonly Upcaster[] = [itemCreatedV1ToV2];

/** Thrown by `upcast` when no chain of upcasters leads from the version given to the one wanted. */
export class NoUpcastPathError extends Error {
  override readonly name = 'NoUpcastPathError';
}

/**
 * The data of a `type` event at `fromVersion`, brought to `toVersion` by chaining the upcasters
 * step by step (v1 → v2 → v3). `data` must already be valid for the reader of `fromVersion`; the
 * result is validated against the reader of `toVersion` (an upcaster that produces something
 * invalid is a bug, thrown as the zod error). Returns `data` itself when the versions are equal.
 * Throws `NoUpcastPathError` when `toVersion` is older than `fromVersion` or a step is missing.
 */
export function upcast(type: string, fromVersion: number, toVersion: number, data: unknown): unknown {
  if (fromVersion === toVersion) return data;
  if (fromVersion > toVersion) throw new NoUpcastPathError(`${type} v${fromVersion} cannot be read as the older v${toVersion}`);
  let current = data;
  for (let version = fromVersion; version < toVersion; version += 1) {
    const step = upcasters.find((candidate) => candidate.from.type === type && candidate.from.version === version);
    if (!step) throw new NoUpcastPathError(`no upcaster from ${type} v${version} to v${version + 1}`);
    current = step.upcast(current);
  }
  const target = findEventDefinition(type, toVersion);
  if (!target) throw new NoUpcastPathError(`${type} v${toVersion} is not defined`);
  return target.reader.parse(current);
}

/** Whether every defined version of every type, but the latest, has an upcaster to the next one. */
export function missingUpcasters(): string[] {
  const missing: string[] = [];
  for (const definition of eventDefinitions) {
    const next = findEventDefinition(definition.type, definition.version + 1);
    const step = upcasters.find((candidate) => candidate.from === definition);
    if (next && !step) missing.push(`${definition.routingKey} → ${next.routingKey}`);
  }
  return missing;
}
