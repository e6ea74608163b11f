import { OpenAPIHono } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import type { Logger } from '@warren/telemetry';
import { authenticate, type Principal } from './auth.ts';
import { utf8Body } from './body-encoding.ts';
import { bodyLimit } from './body-limit.ts';
import { defaultCaller, type EdgeEnv } from './context.ts';
import { asyncApiRoute } from './asyncapi.ts';
import { docsRoutes } from './docs.ts';
import { ValidationError } from './errors.ts';
import { healthRoutes, type ReadinessChecks } from './health.ts';
import { assertMethodAllowed } from './method-not-allowed.ts';
import { httpMetrics, metricsRoute, type HttpObserver, type MetricsExposition } from './metrics.ts';
import { errorHandler, notFoundHandler } from './problem.ts';
import { rateLimit } from './rate-limit.ts';
import { requestId } from './request-id.ts';
import { requestLogger } from './request-logger.ts';
import { securityHeaders } from './security-headers.ts';

export interface EdgeOptions {
  service: string;
  version: string;
  logger: Logger;
  /** Title and description of the OpenAPI document. */
  title?: string;
  description?: string;
  bodyLimitBytes?: number;
  /** When given, `GET /health` and `GET /ready` (running these checks) are mounted. */
  checks?: ReadinessChecks;
  /** When given, every request is observed and `GET /metrics` is mounted. */
  metrics?: { observer: HttpObserver; exposition: MetricsExposition };
  /** Verifies bearer tokens on `/api/*`; absent means the API is open (local development). */
  auth?: { verify(token: string): Promise<Principal> };
  /** Failed authentications (401s) per minute per client address before they become 429s; 0 or absent: unlimited. */
  authFailuresPerMinute?: number;
  /** Requests per minute per caller on `/api/*`; 0 or absent turns limiting off. */
  rateLimitPerMinute?: number;
  /** Origins allowed to call the API from a browser; none by default. */
  corsOrigins?: readonly string[];
  /** The service's AsyncAPI document (its part of `@warren/contracts`' one); when given, `GET /asyncapi.json` serves it. */
  asyncApi?: object;
}

/**
 * The starting point of every app's `createApp(deps)`: an OpenAPIHono app typed with EdgeEnv
 * that assigns request ids, logs one line per request, sets secure headers and CORS, limits
 * bodies (1 MiB by default) and refuses bodies that are not UTF-8, authenticates and rate-limits `/api/*`, and answers every error,
 * unknown route (404) and wrong method (405) with problem+json. Validation failures of the
 * routes' zod schemas become 400 problems listing each field. Serves `/openapi.json` (OpenAPI
 * 3.1 of every route registered on it), an offline `/docs` and, when given, `/asyncapi.json`.
 */
export function createEdge(options: EdgeOptions): OpenAPIHono<EdgeEnv> {
  const { service, version, logger, bodyLimitBytes = 1_048_576, checks, metrics, auth, authFailuresPerMinute, rateLimitPerMinute, corsOrigins = [] } = options;
  const app = new OpenAPIHono<EdgeEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const errors = result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
        throw new ValidationError(`The request ${result.target === 'json' ? 'body' : result.target} is invalid.`, errors);
      }
    },
  });
  if (metrics !== undefined) app.use(httpMetrics(metrics.observer));
  app.use(requestId());
  app.use(defaultCaller());
  app.use(requestLogger({ logger }));
  app.use(securityHeaders({ crossOrigin: corsOrigins.length > 0 }));
  if (corsOrigins.length > 0) {
    app.use(
      cors({
        origin: [...corsOrigins],
        allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
        allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id', 'traceparent', 'tracestate'],
        exposeHeaders: ['Location', 'X-Request-Id', 'Idempotent-Replayed', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining'],
        maxAge: 600,
      }),
    );
  }
  app.use(bodyLimit({ maxBytes: bodyLimitBytes }));
  if (auth !== undefined) app.use('/api/*', authenticate({ service, verifier: auth, ...(authFailuresPerMinute ? { failuresPerMinute: authFailuresPerMinute } : {}) }));
  if (rateLimitPerMinute) app.use('/api/*', rateLimit({ perMinute: rateLimitPerMinute }));
  // After authentication, so an anonymous caller cannot make the edge read bodies for nothing.
  app.use(utf8Body());
  app.onError(errorHandler({ logger }));
  app.notFound((c) => {
    assertMethodAllowed(c, app.routes);
    return notFoundHandler(c);
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: `An access token from the OIDC issuer, with the scopes ${service}:read and/or ${service}:write.`,
  });
  if (checks !== undefined) app.route('/', healthRoutes({ service, version, checks }));
  if (metrics !== undefined) app.route('/', metricsRoute(metrics.exposition));
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: options.title ?? `Warren ${service}`, version, ...(options.description ? { description: options.description } : {}) },
  });
  app.route('/', docsRoutes({ title: options.title ?? `Warren ${service}` }));
  if (options.asyncApi !== undefined) app.route('/', asyncApiRoute(options.asyncApi, { title: options.title ?? `Warren ${service}` }));
  return app;
}
