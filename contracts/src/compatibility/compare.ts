import { isDeepStrictEqual } from 'node:util';

/** A JSON Schema (draft-07 or 2020-12), as far as the gate reads it. */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

/**
 * Who a change breaks: a `tightened` schema rejects archived events that new readers must still
 * read; a `loosened` one accepts events that old readers reject; `changed` does both.
 */
export type Direction = 'tightened' | 'loosened' | 'changed';

/** One way a current schema is not compatible with its released one. */
export interface Incompatibility {
  /** Where, as `data.priceCents` (`(root)` for the whole document). */
  path: string;
  /** What changed, e.g. `maxLength tightened from 200 to 100`. */
  change: string;
  direction: Direction;
}

// Annotations do not change which documents are valid.
const annotations = new Set(['$schema', '$id', '$anchor', '$comment', 'title', 'description', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly']);
const upperBounds = new Set(['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties']);
const lowerBounds = new Set(['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties']);
const constraints = new Set(['format', 'pattern', 'const', 'multipleOf']);
const handled = new Set([...annotations, ...upperBounds, ...lowerBounds, ...constraints, 'type', 'enum', 'required', 'properties', 'additionalProperties', 'items', 'prefixItems', 'anyOf', 'oneOf', 'allOf']);

type SchemaObject = { readonly [keyword: string]: unknown };
type Found = (change: string, direction: Direction) => void;

const show = (value: unknown): string => (value === undefined ? 'none' : JSON.stringify(value));
const asObject = (value: unknown): SchemaObject => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as SchemaObject) : {});
const asList = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const child = (path: string, step: string): string => (path === '' ? step : step.startsWith('[') ? `${path}${step}` : `${path}.${step}`);

// For `type` and `enum` an added value loosens the schema; for `required` it tightens it.
function compareSets(keyword: string, released: unknown, current: unknown, found: Found, addedMeans: Direction = 'loosened'): void {
  const before = asList(released);
  const after = asList(current);
  const added = after.filter((value) => !before.some((old) => isDeepStrictEqual(old, value)));
  const removed = before.filter((value) => !after.some((now) => isDeepStrictEqual(now, value)));
  if (added.length > 0 && removed.length > 0) found(`${keyword} changed from ${show(released)} to ${show(current)}`, 'changed');
  else if (added.length > 0) found(`${keyword} ${show(added)} added`, addedMeans);
  else if (removed.length > 0) found(`${keyword} ${show(removed)} removed`, addedMeans === 'loosened' ? 'tightened' : 'loosened');
}

function compareBound(keyword: string, released: unknown, current: unknown, found: Found): void {
  if (released === current) return;
  const upper = upperBounds.has(keyword);
  // A bound added where there was none tightens; one dropped loosens.
  const tighter = released === undefined || (current !== undefined && (upper ? Number(current) < Number(released) : Number(current) > Number(released)));
  found(`${keyword} ${tighter ? 'tightened' : 'loosened'} from ${show(released)} to ${show(current)}`, tighter ? 'tightened' : 'loosened');
}

function compareConstraint(keyword: string, released: unknown, current: unknown, found: Found): void {
  if (isDeepStrictEqual(released, current)) return;
  const direction = released === undefined ? 'tightened' : current === undefined ? 'loosened' : 'changed';
  found(`${keyword} changed from ${show(released)} to ${show(current)}`, direction);
}

// `additionalProperties` absent, true or {} leaves an object open; false closes it.
const isClosed = (schema: SchemaObject): boolean => schema['additionalProperties'] === false;
function additional(schema: SchemaObject): JsonSchema {
  const extra = schema['additionalProperties'];
  if (extra === undefined || extra === true || isDeepStrictEqual(extra, {})) return true;
  return extra as JsonSchema;
}

function compareProperties(released: SchemaObject, current: SchemaObject, path: string, out: Incompatibility[]): void {
  const before = asObject(released['properties']);
  const after = asObject(current['properties']);
  for (const [name, schema] of Object.entries(after)) {
    if (name in before) compareAt(before[name] as JsonSchema, schema as JsonSchema, child(path, name), out);
    else if (isClosed(released)) out.push({ path: child(path, name), change: 'field added to a closed object', direction: 'loosened' });
  }
  for (const name of Object.keys(before)) {
    if (!(name in after) && isClosed(current)) out.push({ path: child(path, name), change: 'field removed from a closed object', direction: 'tightened' });
  }
  const extraBefore = additional(released);
  const extraAfter = additional(current);
  if (extraBefore === false && extraAfter !== false) out.push({ path: path || '(root)', change: 'object opened (additionalProperties no longer false)', direction: 'loosened' });
  else if (extraBefore !== false && extraAfter === false) out.push({ path: path || '(root)', change: 'object closed (additionalProperties: false)', direction: 'tightened' });
  else compareAt(extraBefore, extraAfter, child(path, '[additional]'), out);
}

function compareAlternatives(keyword: string, released: unknown, current: unknown, path: string, out: Incompatibility[]): void {
  const before = asList(released);
  const after = asList(current);
  if (before.length !== after.length) {
    out.push({ path: path || '(root)', change: `${keyword} went from ${before.length} to ${after.length} schemas`, direction: 'changed' });
    return;
  }
  before.forEach((schema, index) => compareAt(schema as JsonSchema, after[index] as JsonSchema, child(path, `[${keyword} ${index}]`), out));
}

function compareAt(released: JsonSchema, current: JsonSchema, path: string, out: Incompatibility[]): void {
  const found: Found = (change, direction) => out.push({ path: path || '(root)', change, direction });
  if (typeof released === 'boolean' || typeof current === 'boolean') {
    if (!isDeepStrictEqual(released, current)) found(`schema changed from ${show(released)} to ${show(current)}`, 'changed');
    return;
  }
  if (released['type'] === undefined || current['type'] === undefined) compareConstraint('type', released['type'], current['type'], found);
  else compareSets('type', released['type'], current['type'], found);
  if (released['enum'] !== undefined || current['enum'] !== undefined) {
    if (released['enum'] === undefined || current['enum'] === undefined) compareConstraint('enum', released['enum'], current['enum'], found);
    else compareSets('enum value', released['enum'], current['enum'], found);
  }
  for (const keyword of constraints) compareConstraint(keyword, released[keyword], current[keyword], found);
  for (const keyword of [...upperBounds, ...lowerBounds]) compareBound(keyword, released[keyword], current[keyword], found);
  compareSets('required field', released['required'], current['required'], found, 'tightened');
  compareProperties(released, current, path, out);
  if (released['items'] !== undefined || current['items'] !== undefined) compareAt((released['items'] ?? true) as JsonSchema, (current['items'] ?? true) as JsonSchema, child(path, '[]'), out);
  for (const keyword of ['prefixItems', 'anyOf', 'oneOf', 'allOf']) {
    if (released[keyword] !== undefined || current[keyword] !== undefined) compareAlternatives(keyword, released[keyword], current[keyword], path, out);
  }
  // Anything else ($ref, not, if/then/else, patternProperties…) the gate does not reason about: any change breaks.
  for (const keyword of new Set([...Object.keys(released), ...Object.keys(current)])) {
    if (!handled.has(keyword) && !isDeepStrictEqual(released[keyword], current[keyword])) found(`${keyword} changed (the gate treats any change to it as breaking)`, 'changed');
  }
}

/**
 * Every way `current` is not compatible both ways with `released`: old readers must accept every
 * event valid under `current`, and new readers every archived event valid under `released`.
 * Annotations (title, description, examples…) may change freely, and so may the optional fields
 * of an open object. Empty means compatible.
 */
export function schemaIncompatibilities(released: JsonSchema, current: JsonSchema): Incompatibility[] {
  const out: Incompatibility[] = [];
  compareAt(released, current, '', out);
  return out;
}
