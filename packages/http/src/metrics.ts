import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { trace } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import type { EdgeEnv } from './context.ts';

/** What the edge reports about each request (metrics). */
export interface HttpObserver {
  request(observation: { method: string; route: string; status: number; seconds: number; traceId?: string }): void;
}

/** The Prometheus exposition of a service's registry. */
export interface MetricsExposition {
  contentType: string;
  render(): Promise<string>;
}

/** The template of the last route (not middleware) that matched, or `unmatched`. */
function routeOf(matched: readonly { method: string; path: string }[]): string {
  for (let i = matched.length - 1; i >= 0; i--) if (matched[i]!.method !== 'ALL') return matched[i]!.path;
  return 'unmatched';
}

/**
 * Observes every request with its route template (`/api/v1/items/:id`, never the raw path, so
 * label values stay bounded), method, status and duration; unknown routes are reported as
 * `unmatched`. The trace id rides along for exemplars.
 */
export function httpMetrics(observer: HttpObserver): MiddlewareHandler<EdgeEnv> {
  return async function observeRequest(c, next) {
    const started = performance.now();
    const traceId = trace.getActiveSpan()?.spanContext().traceId;
    try {
      await next();
    } finally {
      const observation: Parameters<HttpObserver['request']>[0] = { method: c.req.method, route: routeOf(c.req.matchedRoutes), status: c.res.status, seconds: (performance.now() - started) / 1_000 };
      if (traceId) observation.traceId = traceId;
      observer.request(observation);
    }
  };
}

/** `GET /metrics`: the Prometheus (OpenMetrics) text of the service's registry. */
export function metricsRoute(exposition: MetricsExposition): OpenAPIHono {
  const routes = new OpenAPIHono();
  const route = createRoute({
    method: 'get',
    path: '/metrics',
    tags: ['operations'],
    summary: 'Prometheus metrics (OpenMetrics text, with trace_id exemplars)',
    responses: { 200: { description: 'The metrics', content: { 'application/openmetrics-text': { schema: z.string() } } } },
  });
  // The body is text in the registry's own content type, which the typed helpers do not model.
  routes.openapi(route, async (c) => c.body(await exposition.render(), 200, { 'content-type': exposition.contentType }) as never);
  return routes;
}
