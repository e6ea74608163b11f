import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeCoverage } from '@warren/http';
import { createServiceTestContext, readOpenApiDocument, type OpenApiDocument, type ServiceTestContext } from '@warren/service/testing';
import { createApp } from './app.ts';

describe('catalog OpenAPI document', () => {
  let context: ServiceTestContext;
  let document: OpenApiDocument;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    context = await createServiceTestContext('catalog', fileURLToPath(new URL('./db/migrations', import.meta.url)));
    app = createApp(context.deps);
    document = await readOpenApiDocument(app);
  });
  afterAll(() => context.close());

  it('is OpenAPI 3.1 and describes exactly the routes the service serves', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(routeCoverage(app.routes, document)).toEqual({ undocumented: [], unrouted: [] });
  });

  it('documents the write: body, Idempotency-Key and X-Request-Id headers, bearer scope, problem responses', () => {
    const create = document.paths['/api/v1/items']?.['post'];
    expect(create?.operationId).toBe('createItem');
    expect(create?.security).toEqual([{ bearer: ['catalog:write'] }]);
    expect(create?.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'idempotency-key', in: 'header', required: true }),
        expect.objectContaining({ name: 'x-request-id', in: 'header' }),
      ]),
    );
    expect(create?.requestBody?.content['application/json']?.schema.$ref).toBe('#/components/schemas/CreateItem');
    for (const status of ['400', '401', '403', '409', '413', '415', '422', '429', '503']) {
      expect(create?.responses[status]?.content?.['application/problem+json'], status).toBeDefined();
    }
    expect(document.components.securitySchemes['bearer']).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.components.schemas['Item']?.example).toMatchObject({ sku: 'LAMP-1' });
  });
});
