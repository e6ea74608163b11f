import type { Hono } from 'hono';
import { createEdge, type EdgeEnv } from '@warren/http';
import type { ServiceDeps } from '@warren/service';
import { stockRoutes } from './routes/stock.ts';

/** The inventory's HTTP edge, testable in-process with `app.request()`. */
export function createApp(deps: ServiceDeps & { version: string }): Hono<EdgeEnv> {
  const app = createEdge({ service: 'inventory', version: deps.version, logger: deps.logger, checks: deps.readiness, metrics: deps.metrics });
  app.route('/api/v1/stock', stockRoutes(deps));
  return app;
}
