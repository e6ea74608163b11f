import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeCoverage } from '@warren/http';
import { readOpenApiDocument, type OpenApiDocument } from '@warren/service/testing';
import { createConsoleTestContext, type ConsoleTestContext } from './console.test-support.ts';

describe('console OpenAPI document', () => {
  let context: ConsoleTestContext;
  let document: OpenApiDocument;

  beforeAll(async () => {
    context = await createConsoleTestContext();
    document = await readOpenApiDocument(context.app);
  });
  afterAll(() => context.close());

  it('is OpenAPI 3.1 and describes exactly the API routes the console serves', () => {
    expect(document.openapi).toBe('3.1.0');
    // The pages and their form actions are for browsers, not part of the API document.
    const pages = /^\/($|groups|messages|activity|purge|queues|archive|actions|auth|assets)/;
    const apiRoutes = context.app.routes.filter((route) => !pages.test(route.path));
    expect(routeCoverage(apiRoutes, document)).toEqual({ undocumented: [], unrouted: [] });
  });

  it('documents reads with warren:read and actions with warren:operate and an Idempotency-Key', () => {
    expect(document.paths['/api/v1/groups']?.['get']?.security).toEqual([{ bearer: ['warren:read'] }]);
    const retry = document.paths['/api/v1/retries']?.['post'];
    expect(retry?.security).toEqual([{ bearer: ['warren:operate'] }]);
    expect(retry?.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'idempotency-key', in: 'header', required: true })]));
    for (const status of ['400', '401', '403', '422']) expect(retry?.responses[status]?.content?.['application/problem+json'], status).toBeDefined();
  });
});
