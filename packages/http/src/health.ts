import { Hono } from 'hono';

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
export function healthRoutes({ service, version, checks = {}, timeoutMs = 2_000 }: HealthOptions): Hono {
  const routes = new Hono();
  routes.get('/health', (c) => c.json({ service, status: 'ok', version, dependencies: {} }));
  routes.get('/ready', async (c) => {
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((name) => runCheck(checks[name] ?? (async () => {}), timeoutMs)));
    const dependencies = Object.fromEntries(names.map((name, index) => [name, results[index]]));
    const ready = results.every((result) => result.status === 'up');
    c.header('cache-control', 'no-store');
    return c.json({ service, status: ready ? 'ready' : 'not_ready', version, dependencies }, ready ? 200 : 503);
  });
  return routes;
}
