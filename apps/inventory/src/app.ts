import type { OpenAPIHono } from '@hono/zod-openapi';
import { asyncApiDocument } from '@warren/contracts';
import { createEdge, type EdgeEnv } from '@warren/http';
import { edgeOptions, type ServiceDeps } from '@warren/service';
import { registerStockRoutes } from './routes/stock.ts';

/** The inventory's HTTP edge, testable in-process with `app.request()`. */
export function createApp(deps: ServiceDeps & { version: string }): OpenAPIHono<EdgeEnv> {
  const app = createEdge({
    ...edgeOptions('inventory', deps),
    asyncApi: asyncApiDocument({ service: 'inventory' }),
    title: 'Warren inventory',
    description: 'Stock per catalog item, opened by item.created; adjustments publish stock.adjusted.',
  });
  registerStockRoutes(app, deps);
  return app;
}
