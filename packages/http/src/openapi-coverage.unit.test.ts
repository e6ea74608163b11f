import { describe, expect, it } from 'vitest';
import { routeCoverage } from './openapi-coverage.ts';

describe('routeCoverage', () => {
  const routes = [
    { method: 'ALL', path: '/api/*' },
    { method: 'GET', path: '/api/v1/items/:id' },
    { method: 'POST', path: '/api/v1/items' },
    { method: 'GET', path: '/openapi.json' },
    { method: 'GET', path: '/asyncapi.json' },
    { method: 'GET', path: '/asyncapi' },
    { method: 'GET', path: '/asyncapi/assets/:file' },
    { method: 'GET', path: '/docs/assets/:file' },
  ];

  it('finds nothing missing when every route is described and the reverse', () => {
    const document = { paths: { '/api/v1/items/{id}': { get: {} }, '/api/v1/items': { post: {}, parameters: [] } } };
    expect(routeCoverage(routes, document)).toEqual({ undocumented: [], unrouted: [] });
  });

  it('names a route the document misses and an operation no route serves', () => {
    const document = { paths: { '/api/v1/items/{id}': { get: {}, delete: {} } } };
    expect(routeCoverage(routes, document)).toEqual({ undocumented: ['POST /api/v1/items'], unrouted: ['DELETE /api/v1/items/{id}'] });
  });
});
