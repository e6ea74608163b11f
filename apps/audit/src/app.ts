import type { OpenAPIHono } from '@hono/zod-openapi';
import { asyncApiDocument } from '@warren/contracts';
import { createEdge, type EdgeEnv } from '@warren/http';
import { edgeOptions, type ServiceDeps } from '@warren/service';
import { registerEventRoutes } from './routes/events.ts';

/** The audit service's HTTP edge, testable in-process with `app.request()`. */
export function createApp(deps: ServiceDeps & { version: string }): OpenAPIHono<EdgeEnv> {
  const app = createEdge({
    ...edgeOptions('audit', deps),
    asyncApi: asyncApiDocument({ service: 'audit' }),
    title: 'Warren audit',
    description: 'The append-only log of every event applied, filterable by type, correlation id and subject.',
  });
  registerEventRoutes(app, deps);
  return app;
}
