import type { Context } from 'hono';
import type { z } from 'zod';
import { UnsupportedMediaTypeError, ValidationError, type FieldError } from './errors.ts';

/** `application/json` or any `application/*+json`, parameters such as charset allowed. */
const jsonMediaType = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

function fieldErrors(issues: z.ZodError['issues']): FieldError[] {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

function validate<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(`The ${what} is invalid.`, fieldErrors(result.error.issues));
  return result.data;
}

/**
 * Reads the body as JSON and validates it with a zod schema, returning the parsed output.
 * Throws UnsupportedMediaTypeError (415) unless the content type is JSON, ValidationError (400)
 * when the body is not JSON, and ValidationError with one entry per zod issue (path joined
 * with '.') when the schema rejects it.
 */
export async function parseJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const contentType = c.req.header('content-type') ?? '';
  if (!jsonMediaType.test(contentType)) {
    throw new UnsupportedMediaTypeError(`Expected application/json, got ${contentType === '' ? 'no content type' : contentType}.`);
  }
  // text() is cached by Hono, so the idempotency fingerprint and this read see the same bytes.
  const text = await c.req.text();
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : 'unparsable JSON';
    throw new ValidationError('The request body is not valid JSON.', [{ path: '', message }], { cause: error });
  }
  return validate(schema, input, 'request body');
}

/** Validates the query string (one value per name) with a zod schema; throws ValidationError (400). */
export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  return validate(schema, c.req.query(), 'query string');
}

/** Validates the route's path parameters with a zod schema; throws ValidationError (400). */
export function parseParams<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  return validate(schema, c.req.param(), 'path');
}
