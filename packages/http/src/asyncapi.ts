import { Hono } from 'hono';

/**
 * `GET /asyncapi.json`: the service's AsyncAPI document, serialized once. The document is data
 * from `@warren/contracts`; this package does not read or change it.
 */
export function asyncApiRoute(document: object): Hono {
  const body = JSON.stringify(document);
  const routes = new Hono();
  routes.get('/asyncapi.json', (c) => c.body(body, 200, { 'content-type': 'application/json; charset=utf-8' }));
  return routes;
}
