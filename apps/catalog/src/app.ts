import type { OpenAPIHono } from '@hono/zod-openapi';
import { asyncApiDocument } from '@warren/contracts';
import { createEdge, type EdgeEnv } from '@warren/http';
import { edgeOptions, type ServiceDeps } from '@warren/service';
import { registerItemRoutes } from './routes/items.ts';

/** The catalog's HTTP edge, testable in-process with `app.request()`. */
export function createApp(deps: ServiceDeps & { version: string }): OpenAPIHono<EdgeEnv> {
  const app = createEdge({
    ...edgeOptions('catalog', deps),
    asyncApi: asyncApiDocument({ service: 'catalog' }),
    title: 'Warren catalog',
    description: 'Catalog items. Every write publishes an event (item.created.v2; also v1 during the migration window) through the transactional outbox. `category` is optional on create (default `uncategorised`).',
  });
  registerItemRoutes(app, deps);
  return app;
}
