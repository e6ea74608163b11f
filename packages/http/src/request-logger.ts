import type { MiddlewareHandler } from 'hono';
import type { Logger } from '@warren/telemetry';
import type { EdgeEnv } from './context.ts';

/**
 * Puts a child logger carrying `request_id` on `c.var.logger` (install after `requestId`) and
 * writes one line per request once it is answered: method, path, route template, status and
 * duration_ms. Errors themselves are logged by the error handler, not here.
 */
export function requestLogger({ logger }: { logger: Logger }): MiddlewareHandler<EdgeEnv> {
  return async function logRequest(c, next) {
    const started = performance.now();
    // A write's request id becomes its events' correlation id: one key across logs and traces.
    const id = c.get('requestId');
    const log = logger.child({ request_id: id, correlation_id: id });
    c.set('logger', log);
    try {
      await next();
    } finally {
      const status = c.res.status;
      const line = {
        method: c.req.method,
        path: c.req.path,
        route: c.req.routePath,
        status,
        duration_ms: Math.round((performance.now() - started) * 1000) / 1000,
      };
      if (status >= 500) log.warn(line, 'request failed');
      else log.info(line, 'request completed');
    }
  };
}
