import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';

/** Named readiness probes: each resolves when its dependency is usable and rejects otherwise. */
export type ReadinessChecks = Record<string, () => Promise<void>>;

export interface HealthOptions {
  service: string;
  version: string;
  checks?: ReadinessChecks;
  /** Per check; a probe that hangs counts as down. */
  timeoutMs?: number;
}

type DependencyStatus = { status: 'up'; latency_ms: number } | { status: 'down'; error: string; latency_ms: number };

async function runCheck(check: () => Promise<void>, timeoutMs: number): Promise<DependencyStatus> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check(), timeout]);
    return { status: 'up', latency_ms: Math.round(performance.now() - started) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'down', error: message, latency_ms: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The liveness and readiness routes of the public contract. `GET /health` answers 200 while the
 * process is up. `GET /ready` runs every check concurrently (each bounded by `timeoutMs`,
 * 2 s by default) and answers 200 `ready` when all are up, else 503 `not_ready`; both list
 * each dependency's status.
 */
const dependency = z.object({ status: z.enum(['up', 'down']), latency_ms: z.number(), error: z.string().optional() });
const healthBody = z
  .object({ service: z.string(), status: z.enum(['ok', 'ready', 'not_ready']), version: z.string(), dependencies: z.record(z.string(), dependency) })
  .openapi('Health');

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags: ['operations'],
  summary: 'Liveness: the process is up',
  responses: { 200: { description: 'Up', content: { 'application/json': { schema: healthBody } } } },
});

const readyRoute = createRoute({
  method: 'get',
  path: '/ready',
  tags: ['operations'],
  summary: 'Readiness: database and broker reachable, migrations applied, consumers attached',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: healthBody } } },
    503: { description: 'Not ready; `dependencies` says which and why', content: { 'application/json': { schema: healthBody } } },
  },
});

export function healthRoutes({ service, version, checks = {}, timeoutMs = 2_000 }: HealthOptions): OpenAPIHono {
  const routes = new OpenAPIHono();
  routes.openapi(healthRoute, (c) => c.json({ service, status: 'ok' as const, version, dependencies: {} }, 200));
  routes.openapi(readyRoute, async (c) => {
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((name) => runCheck(checks[name] ?? (async () => {}), timeoutMs)));
    const dependencies: Record<string, DependencyStatus> = {};
    names.forEach((name, index) => {
      const result = results[index];
      if (result) dependencies[name] = result;
    });
    const ready = results.every((result) => result.status === 'up');
    c.header('cache-control', 'no-store');
    const body = { service, status: ready ? ('ready' as const) : ('not_ready' as const), version, dependencies };
    return ready ? c.json(body, 200) : c.json(body, 503);
  });
  return routes;
}
