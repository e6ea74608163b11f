import { Hono } from 'hono';
import type { Logger } from '@warren/telemetry';
import { bodyLimit } from './body-limit.ts';
import { defaultCaller, type EdgeEnv } from './context.ts';
import { healthRoutes, type ReadinessChecks } from './health.ts';
import { httpMetrics, metricsRoute, type HttpObserver, type MetricsExposition } from './metrics.ts';
import { errorHandler, notFoundHandler } from './problem.ts';
import { requestId } from './request-id.ts';
import { requestLogger } from './request-logger.ts';

export interface EdgeOptions {
  service: string;
  version: string;
  logger: Logger;
  bodyLimitBytes?: number;
  /** When given, `GET /health` and `GET /ready` (running these checks) are mounted. */
  checks?: ReadinessChecks;
  /** When given, every request is observed and `GET /metrics` is mounted. */
  metrics?: { observer: HttpObserver; exposition: MetricsExposition };
}

/**
 * The starting point of every app's `createApp(deps)`: a Hono app typed with EdgeEnv that
 * assigns request ids, defaults the caller to `anonymous`, logs one line per request, limits
 * bodies (1 MiB by default) and answers every error and unknown route with problem+json.
 */
export function createEdge({ service, version, logger, bodyLimitBytes = 1_048_576, checks, metrics }: EdgeOptions): Hono<EdgeEnv> {
  const app = new Hono<EdgeEnv>();
  if (metrics !== undefined) app.use(httpMetrics(metrics.observer));
  app.use(requestId());
  app.use(defaultCaller());
  app.use(requestLogger({ logger }));
  app.use(bodyLimit({ maxBytes: bodyLimitBytes }));
  app.onError(errorHandler({ logger }));
  app.notFound(notFoundHandler);
  if (checks !== undefined) app.route('/', healthRoutes({ service, version, checks }));
  if (metrics !== undefined) app.route('/', metricsRoute(metrics.exposition));
  return app;
}
