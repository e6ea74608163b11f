import type { Hono } from 'hono';
import { createEdge, type EdgeEnv } from '@warren/http';
import type { ServiceDeps } from '@warren/service';
import { itemRoutes } from './routes/items.ts';

/** The catalog's HTTP edge, testable in-process with `app.request()`. */
export function createApp(deps: ServiceDeps & { version: string }): Hono<EdgeEnv> {
  const app = createEdge({ service: 'catalog', version: deps.version, logger: deps.logger, checks: deps.readiness, metrics: deps.metrics });
  app.route('/api/v1/items', itemRoutes(deps));
  return app;
}
