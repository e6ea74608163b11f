import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeCoverage } from '@warren/http';
import { createServiceTestContext, readOpenApiDocument, type OpenApiDocument, type ServiceTestContext } from '@warren/service/testing';
import { createApp } from './app.ts';

describe('audit OpenAPI document', () => {
  let context: ServiceTestContext;
  let document: OpenApiDocument;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    context = await createServiceTestContext('audit', fileURLToPath(new URL('./db/migrations', import.meta.url)));
    app = createApp(context.deps);
    document = await readOpenApiDocument(app);
  });
  afterAll(() => context.close());

  it('is OpenAPI 3.1 and describes exactly the routes the service serves', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(routeCoverage(app.routes, document)).toEqual({ undocumented: [], unrouted: [] });
  });

  it('documents the event log query with its filters and scope', () => {
    const list = document.paths['/api/v1/events']?.['get'];
    expect(list?.operationId).toBe('listEvents');
    expect(list?.security).toEqual([{ bearer: ['audit:read'] }]);
    expect(list?.parameters?.map((parameter) => parameter.name)).toEqual(expect.arrayContaining(['type', 'correlation_id', 'subject', 'limit', 'cursor']));
    expect(list?.responses['400']?.content?.['application/problem+json']).toBeDefined();
  });
});
