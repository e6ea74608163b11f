/** The parts of a JSON Schema (as contracts' jsonSchemas() writes them) a sample is built from. */
interface SchemaNode {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  minLength?: number;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
}

const fixedUuid = '01938a2e-7c4b-7d1a-9f3e-2b8c4d5e6f70';

/**
 * A plain value that satisfies `schema`, for the tests generated beside a consumer: uuids,
 * timestamps, small in-range numbers and short words. Callers check it against the event's own
 * schema, since patterns are not followed.
 */
export function sampleOf(schema: SchemaNode): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const variant = schema.anyOf?.[0] ?? schema.oneOf?.[0];
  if (variant) return sampleOf(variant);
  const type = Array.isArray(schema.type) ? schema.type.find((candidate) => candidate !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const required = new Set(schema.required ?? Object.keys(schema.properties ?? {}));
      return Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([key]) => required.has(key)).map(([key, node]) => [key, sampleOf(node)]));
    }
    case 'array':
      return schema.items ? [sampleOf(schema.items)] : [];
    case 'integer':
    case 'number': {
      const low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
      return Math.min(Math.max(1, Math.ceil(low)), schema.maximum ?? Number.MAX_SAFE_INTEGER);
    }
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'uuid') return fixedUuid;
      if (schema.format === 'date-time') return '2026-11-26T08:00:00.000Z';
      if (schema.format === 'email') return 'someone@example.com';
      return 'Sample1'.padEnd(schema.minLength ?? 0, 'x');
    default:
      return null;
  }
}
