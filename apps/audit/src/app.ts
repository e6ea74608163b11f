import type { Hono } from 'hono';
import { createEdge, type EdgeEnv } from '@warren/http';
import type { ServiceDeps } from '@warren/service';
import { eventRoutes } from './routes/events.ts';

/** The audit service's HTTP edge, testable in-process with `app.request()`. */
export function createApp(deps: ServiceDeps & { version: string }): Hono<EdgeEnv> {
  const app = createEdge({ service: 'audit', version: deps.version, logger: deps.logger, checks: deps.readiness, metrics: deps.metrics });
  app.route('/api/v1/events', eventRoutes(deps));
  return app;
}
