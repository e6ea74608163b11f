import { parseSubjects, type SubjectName } from './subject.ts';

/** Everything one benchmark run is parameterized by. */
export interface BenchConfig {
  /** What the run measures (`BENCH_SUBJECTS`), in run order. */
  subjects: SubjectName[];
  adminUrl: string;
  amqpUrl: string;
  /** RabbitMQ management API (`AMQP_MANAGEMENT_URL`), used to make the run's vhosts when set and reachable; else `rabbitmqctl`. */
  managementUrl: string | undefined;
  /** Length of the full-speed phase and of each fixed-rate phase. */
  seconds: number;
  /** Length of the idle measurement (`BENCH_IDLE_SECONDS`, no load at all). */
  idleSeconds: number;
  /** Concurrent clients of the full-speed phase. */
  concurrency: number;
  /** Writes per second of the fixed-rate phases, in order. */
  rates: number[];
  /** Requests the open-loop phases may have in flight before the rest wait (and turn late). */
  openMaxInFlight: number;
  /** A fixed-rate request sent more than this after its scheduled time counts as late. */
  lateThresholdMs: number;
  /** Fixed-rate requests still unsent this long after the schedule ended are given up (counted as unsent). */
  giveUpAfterMs: number;
  rawMessages: number;
  rawWindow: number;
  rawPrefetch: number;
  /** The longest wait for the consumers to apply every event of a phase. */
  applyTimeoutMs: number;
  /** Warren's defaults, as `npm start` runs them: only what the bench must set (see `defaultServiceEnvironment`). */
  defaultEnv: Record<string, string>;
  /** Warren tuned for throughput, with `BENCH_SERVICE_<NAME>` applied; also the base of the tracing subject. */
  tunedEnv: Record<string, string>;
  /** The naive services' settings, with `BENCH_NAIVE_<NAME>` applied. */
  naiveEnv: Record<string, string>;
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

function withOverrides(chosen: Record<string, string>, env: NodeJS.ProcessEnv, prefix: string): Record<string, string> {
  const result = { ...chosen };
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith(prefix) && value !== undefined) result[name.slice(prefix.length)] = value;
  }
  return result;
}

/**
 * Warren at its defaults, as `npm start` runs it: the bench sets only the listening address,
 * the per-caller rate limit (off: one load generator is one caller, a limit would measure only
 * itself) and puts back the defaults that `startSystem` changes for tests (the relay's poll
 * interval and the retry delays). Ports, databases and the vhost come from `startSystem`; the
 * OpenTelemetry SDK stays off (`startSystem`'s choice), so that tracing is measured on its own.
 */
export function defaultServiceEnvironment(): Record<string, string> {
  return { HOST: '127.0.0.1', RATE_LIMIT_PER_MINUTE: '0', RELAY_POLL_INTERVAL_MS: '1000', RETRY_DELAYS_MS: '1000,5000,30000' };
}

/**
 * Service settings that favour throughput; `BENCH_SERVICE_<NAME>=value` overrides or adds `<NAME>`.
 * LOG_LEVEL stays `info`: `startSystem` learns that a service is up from its info-level
 * "service started" line, so a quieter level makes the start time out.
 */
function tunedServiceEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const chosen = withOverrides(
    {
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      CONSUMER_PREFETCH: '100',
      RELAY_BATCH_SIZE: '500',
      RELAY_POLL_INTERVAL_MS: '200',
      DATABASE_POOL_SIZE: '20',
      RATE_LIMIT_PER_MINUTE: '0',
    },
    env,
    'BENCH_SERVICE_',
  );
  if (!['info', 'debug', 'trace'].includes(chosen['LOG_LEVEL'] ?? 'info')) {
    throw new Error(`BENCH_SERVICE_LOG_LEVEL=${chosen['LOG_LEVEL']} hides the "service started" line that startSystem waits for; use info`);
  }
  return chosen;
}

/**
 * The tracing subject: `tuned` with the OpenTelemetry SDK on, every trace sampled and exported
 * over OTLP/HTTP (protobuf, the default protocol) to `endpoint`.
 */
export function tracingServiceEnvironment(tuned: Record<string, string>, endpoint: string): Record<string, string> {
  return {
    ...tuned,
    OTEL_SDK_DISABLED: 'false',
    OTEL_TRACES_SAMPLER: 'always_on',
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
  };
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
    subjects: parseSubjects(env['BENCH_SUBJECTS']),
    adminUrl: loopbackUrl(env, 'DATABASE_URL', defaults.adminUrl),
    amqpUrl: loopbackUrl(env, 'AMQP_URL', defaults.amqpUrl),
    managementUrl: env['AMQP_MANAGEMENT_URL'] ? loopbackUrl(env, 'AMQP_MANAGEMENT_URL', '') : undefined,
    seconds: positive(env, 'BENCH_SECONDS', 10),
    idleSeconds: positive(env, 'BENCH_IDLE_SECONDS', 20),
    concurrency: Math.round(positive(env, 'BENCH_CONCURRENCY', 64)),
    rates,
    openMaxInFlight: Math.round(positive(env, 'BENCH_OPEN_MAX_IN_FLIGHT', 256)),
    lateThresholdMs: positive(env, 'BENCH_LATE_MS', 20),
    // Short enough that a saturated subject does not stretch a run of five subjects past five minutes.
    giveUpAfterMs: positive(env, 'BENCH_GIVE_UP_S', 10) * 1_000,
    rawMessages: Math.round(positive(env, 'BENCH_RAW_MESSAGES', 20_000)),
    rawWindow: Math.round(positive(env, 'BENCH_RAW_WINDOW', 1_000)),
    rawPrefetch: Math.round(positive(env, 'BENCH_RAW_PREFETCH', 200)),
    applyTimeoutMs: positive(env, 'BENCH_APPLY_TIMEOUT_S', 90) * 1_000,
    defaultEnv: defaultServiceEnvironment(),
    tunedEnv: tunedServiceEnvironment(env),
    // The same pool and prefetch as Warren's defaults.
    naiveEnv: withOverrides({ DATABASE_POOL_SIZE: '10', CONSUMER_PREFETCH: '32' }, env, 'BENCH_NAIVE_'),
    resultsFile: new URL('../results/latest.json', import.meta.url).pathname,
  };
}
