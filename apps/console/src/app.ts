import type { OpenAPIHono } from '@hono/zod-openapi';
import { csrf } from 'hono/csrf';
import { createEdge } from '@warren/http';
import { edgeOptions } from '@warren/service';
import { apiAccess, pageAccess, type ConsoleEnv } from './auth/access.ts';
import type { ConsoleDeps } from './console-deps.ts';
import { registerApiRoutes } from './routes/api.ts';
import { registerAssetRoutes } from './routes/assets.ts';
import { registerAuthRoutes } from './routes/auth.ts';
import { registerPageRoutes } from './routes/pages.ts';

/**
 * The console: a JSON API under `/api/v1` for bearer tokens (`warren:read`, `warren:operate`),
 * and server-rendered pages for browsers behind an OIDC login whose tokens stay on the server.
 * Testable in-process with `app.request()`.
 */
export function createApp(deps: ConsoleDeps): OpenAPIHono<ConsoleEnv> {
  const { auth: _edgeAuth, ...edge } = edgeOptions('console', deps);
  const app = createEdge({
    ...edge,
    title: 'Warren console',
    description: 'Operate Warren: parked messages grouped and searched, retried, purged and redirected; queue state; the record of every action.',
  }) as unknown as OpenAPIHono<ConsoleEnv>;
  const config = deps.config;
  const origin = config.CONSOLE_PUBLIC_URL?.replace(/\/$/, '');
  // The edge's rate limit and error handling apply; authentication is the console's own (two scopes).
  app.use('/api/*', apiAccess({ verifier: deps.verifier }));
  // Form posts must come from the console's own origin (besides the session's CSRF token).
  app.use('/actions/*', csrf(origin ? { origin } : {}));
  app.use('/auth/logout', csrf(origin ? { origin } : {}));
  registerAssetRoutes(app);
  registerAuthRoutes(app, deps);
  const guard = pageAccess({ sessions: deps.sessions, authOn: deps.verifier !== undefined, ttlMs: config.CONSOLE_SESSION_HOURS * 3_600_000, secureCookie: (origin ?? '').startsWith('https:') });
  registerPageRoutes(app, deps, guard);
  registerApiRoutes(app, deps);
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'An access token from the OIDC issuer, with the scope warren:read (to see) and warren:operate (to act).',
  });
  return app;
}
