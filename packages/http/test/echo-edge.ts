import { createRoute, z } from '@hono/zod-openapi';
import { createLogger } from '@warren/telemetry';
import { createEdge } from '../src/edge.ts';

const logger = createLogger({ service: 'echo-edge-test', level: 'silent' });

/** The service edge with one route, `POST /api/v1/echo`, that answers the `{ name }` it was sent. */
export function echoEdge(options: { bodyLimitBytes?: number } = {}) {
  const app = createEdge({ service: 'catalog', version: 't', logger, ...options });
  const route = createRoute({
    method: 'post',
    path: '/api/v1/echo',
    request: { body: { required: true, content: { 'application/json': { schema: z.object({ name: z.string() }) } } } },
    responses: { 200: { description: 'echo', content: { 'application/json': { schema: z.object({ name: z.string() }) } } } },
  });
  app.openapi(route, (c) => c.json(c.req.valid('json'), 200));
  return app;
}
