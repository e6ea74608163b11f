import { z } from '@hono/zod-openapi';
import type { RouteConfig } from '@hono/zod-openapi';

/** RFC 9457 problem document, as every error of every Warren edge is answered. */
export const problemSchema = z
  .object({
    type: z.string().openapi({ example: 'urn:warren:problem:validation_failed' }),
    title: z.string().openapi({ example: 'Validation failed' }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string().optional().openapi({ example: 'The request body is invalid.' }),
    instance: z.string().openapi({ example: '/api/v1/items' }),
    request_id: z.string().openapi({ example: '0192f3c4-5d6e-7f80-9a1b-2c3d4e5f6071' }),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

const problemTitles: Record<number, string> = {
  400: 'Invalid input, a missing or malformed Idempotency-Key, or an invalid cursor',
  401: 'Missing, expired or invalid bearer token',
  403: 'The token lacks the scope this operation needs',
  404: 'No such resource',
  405: 'The path exists but not with this method',
  409: 'Conflict with the current state, or the Idempotency-Key is still in flight',
  413: 'The body is larger than the limit',
  415: 'The body is not application/json',
  422: 'The Idempotency-Key was used with a different request',
  429: 'Too many requests from this caller; see Retry-After',
  503: 'A dependency is unavailable; see Retry-After',
};

/** The problem+json responses of a route, by status. */
export function problemResponses(...statuses: number[]): NonNullable<RouteConfig['responses']> {
  return Object.fromEntries(
    statuses.map((status) => [status, { description: problemTitles[status] ?? 'Error', content: { 'application/problem+json': { schema: problemSchema } } }]),
  );
}

/** Statuses every API route can answer with, whatever it does. */
export const commonProblems = [401, 403, 429, 503] as const;

/** Headers a write takes: the Idempotency-Key (required) and an optional X-Request-Id. */
export const writeHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .openapi({
      param: { in: 'header', required: true },
      description: 'Unique per intended write. Same key and body again replays the stored response (Idempotent-Replayed: true).',
      example: '7d3f1c9a-2b4e-4d7f-9a61-0f5e2c8b1d34',
    }),
  'x-request-id': z
    .string()
    .optional()
    .openapi({ param: { in: 'header', required: false }, description: 'Becomes the correlation id of the events the write causes.', example: 'req-2026-11-26-0001' }),
});

/** The header every request may send to set its correlation id. */
export const requestIdHeader = z.object({
  'x-request-id': z.string().optional().openapi({ param: { in: 'header', required: false }, example: 'req-2026-11-26-0001' }),
});

/** Response headers of a write. */
export const writeResponseHeaders = {
  'X-Request-Id': { schema: { type: 'string' as const }, description: 'The correlation id of this request.' },
  'Idempotent-Replayed': { schema: { type: 'string' as const, enum: ['true'] }, description: 'Present when this is the stored response of an earlier request with the same key.' },
};

/** Security requirement of an API route: a bearer token with `scope`. */
export function bearer(scope: string): RouteConfig['security'] {
  return [{ bearer: [scope] }];
}
