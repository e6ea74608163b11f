import { z } from './zod.ts';

/**
 * The reader's view of a writer's schema: the same schema (same fields, types, checks and
 * bounds) with every object in it, however deep, open to fields it does not name, which are
 * kept in the parsed value instead of refused. Derived from the strict schema, never written a
 * second time, so a reader and its writer cannot drift apart.
 *
 * Walks objects, arrays, tuples, records, unions and the wrappers (optional, nullable, default,
 * readonly…); any other schema is returned as it is. A zod `pipe` or transform is left alone.
 */
export function tolerant<TSchema extends z.ZodType>(schema: TSchema): TSchema {
  return open(schema) as TSchema;
}

function open(schema: z.ZodType): z.ZodType {
  const def = schema.def as z.core.$ZodTypeDef & Record<string, unknown>;
  switch (def.type) {
    case 'object': {
      const object = schema as z.ZodObject;
      const shape = Object.fromEntries(Object.entries(object.shape).map(([key, value]) => [key, open(value as z.ZodType)]));
      return object.clone({ ...object.def, shape, catchall: z.unknown() });
    }
    case 'array':
      return schema.clone({ ...def, element: open(def['element'] as z.ZodType) } as typeof schema.def);
    case 'tuple':
      return schema.clone({ ...def, items: (def['items'] as z.ZodType[]).map(open), rest: def['rest'] ? open(def['rest'] as z.ZodType) : null } as typeof schema.def);
    case 'record':
      return schema.clone({ ...def, valueType: open(def['valueType'] as z.ZodType) } as typeof schema.def);
    case 'union':
      return schema.clone({ ...def, options: (def['options'] as z.ZodType[]).map(open) } as typeof schema.def);
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return schema.clone({ ...def, innerType: open(def['innerType'] as z.ZodType) } as typeof schema.def);
    default:
      return schema;
  }
}
