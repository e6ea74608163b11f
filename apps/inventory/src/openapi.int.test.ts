import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeCoverage } from '@warren/http';
import { createServiceTestContext, readOpenApiDocument, type OpenApiDocument, type ServiceTestContext } from '@warren/service/testing';
import { createApp } from './app.ts';

describe('inventory OpenAPI document', () => {
  let context: ServiceTestContext;
  let document: OpenApiDocument;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    context = await createServiceTestContext('inventory', fileURLToPath(new URL('./db/migrations', import.meta.url)));
    app = createApp(context.deps);
    document = await readOpenApiDocument(app);
  });
  afterAll(() => context.close());

  it('is OpenAPI 3.1 and describes exactly the routes the service serves', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(routeCoverage(app.routes, document)).toEqual({ undocumented: [], unrouted: [] });
  });

  it('documents the adjustment write with its scope, key header and problems', () => {
    const adjust = document.paths['/api/v1/stock/{itemId}/adjustments']?.['post'];
    expect(adjust?.operationId).toBe('adjustStock');
    expect(adjust?.security).toEqual([{ bearer: ['inventory:write'] }]);
    expect(adjust?.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'idempotency-key', in: 'header', required: true })]));
    for (const status of ['400', '401', '403', '404', '409', '422']) expect(adjust?.responses[status]?.content?.['application/problem+json'], status).toBeDefined();
    expect(document.paths['/api/v1/stock/{itemId}']?.['get']?.security).toEqual([{ bearer: ['inventory:read'] }]);
  });
});
