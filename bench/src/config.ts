/** Everything one benchmark run is parameterized by. */
export interface BenchConfig {
  adminUrl: string;
  amqpUrl: string;
  /** RabbitMQ management API (`AMQP_MANAGEMENT_URL`), used to make the run's vhosts when set and reachable; else `rabbitmqctl`. */
  managementUrl: string | undefined;
  /** Length of the full-speed phase and of each fixed-rate phase. */
  seconds: number;
  /** Concurrent clients of the full-speed phase. */
  concurrency: number;
  /** Writes per second of the fixed-rate phases, in order. */
  rates: number[];
  /** Requests the open-loop phases may have in flight before the rest wait (and turn late). */
  openMaxInFlight: number;
  /** A fixed-rate request sent more than this after its scheduled time counts as late. */
  lateThresholdMs: number;
  rawMessages: number;
  rawWindow: number;
  rawPrefetch: number;
  /** The longest wait for the consumers to apply every event of a phase. */
  applyTimeoutMs: number;
  /** Environment of the three services (settings from `@warren/service`'s config). */
  serviceEnv: Record<string, string>;
  resultsFile: string;
}

const defaults = {
  adminUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  amqpUrl: 'amqp://guest:guest@127.0.0.1:5672',
};

const loopback = new Set(['127.0.0.1', 'localhost', '[::1]']);

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
}

function loopbackUrl(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const url = env[name] || fallback;
  const { hostname } = new URL(url);
  if (!loopback.has(hostname)) throw new Error(`${name} must point at a loopback address, got ${hostname}`);
  return url;
}

/**
 * Service settings that favour throughput; `BENCH_SERVICE_<NAME>=value` overrides or adds `<NAME>`.
 * LOG_LEVEL stays `info`: `startSystem` learns that a service is up from its info-level
 * "service started" line, so a quieter level makes the start time out.
 */
function serviceEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  // One load generator is one caller: a per-caller rate limit would measure only itself.
  const chosen: Record<string, string> = {
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    CONSUMER_PREFETCH: '100',
    RELAY_BATCH_SIZE: '500',
    DATABASE_POOL_SIZE: '20',
    RATE_LIMIT_PER_MINUTE: '0',
  };
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('BENCH_SERVICE_') && value !== undefined) chosen[name.slice('BENCH_SERVICE_'.length)] = value;
  }
  if (!['info', 'debug', 'trace'].includes(chosen['LOG_LEVEL'] ?? 'info')) {
    throw new Error(`BENCH_SERVICE_LOG_LEVEL=${chosen['LOG_LEVEL']} hides the "service started" line that startSystem waits for; use info`);
  }
  return chosen;
}

/**
 * Reads the run's settings from `env`: DATABASE_URL (admin) and AMQP_URL default to the local
 * servers and must be loopback, as must AMQP_MANAGEMENT_URL when set (optional: without it the
 * vhosts are made through the management API on port 15672 if it answers, else `rabbitmqctl`);
 * BENCH_* tune the load. Throws on a bad value.
 */
export function loadBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const rates = (env['BENCH_RATES'] || '500,1000').split(',').map((rate) => positive({ BENCH_RATES: rate || '-' }, 'BENCH_RATES', 0));
  return {
    adminUrl: loopbackUrl(env, 'DATABASE_URL', defaults.adminUrl),
    amqpUrl: loopbackUrl(env, 'AMQP_URL', defaults.amqpUrl),
    managementUrl: env['AMQP_MANAGEMENT_URL'] ? loopbackUrl(env, 'AMQP_MANAGEMENT_URL', '') : undefined,
    seconds: positive(env, 'BENCH_SECONDS', 10),
    concurrency: Math.round(positive(env, 'BENCH_CONCURRENCY', 64)),
    rates,
    openMaxInFlight: Math.round(positive(env, 'BENCH_OPEN_MAX_IN_FLIGHT', 256)),
    lateThresholdMs: positive(env, 'BENCH_LATE_MS', 20),
    rawMessages: Math.round(positive(env, 'BENCH_RAW_MESSAGES', 20_000)),
    rawWindow: Math.round(positive(env, 'BENCH_RAW_WINDOW', 1_000)),
    rawPrefetch: Math.round(positive(env, 'BENCH_RAW_PREFETCH', 200)),
    applyTimeoutMs: positive(env, 'BENCH_APPLY_TIMEOUT_S', 90) * 1_000,
    serviceEnv: serviceEnvironment(env),
    resultsFile: new URL('../results/latest.json', import.meta.url).pathname,
  };
}
