import { z } from 'zod';

const milliseconds = z.string().regex(/^\d+(,\d+)*$/, 'a comma-separated list of milliseconds, e.g. 1000,5000,30000');
const bool = z.enum(['true', 'false']).transform((value) => value === 'true');
const hours = z.coerce.number().positive();
// The item.created versions Warren defines; kept here as numbers so config needs no contracts import.
const itemCreatedVersions = z.string().regex(/^[12](,[12])*$/, 'a comma-separated list of item.created versions: 1, 2');
const newestFirst = (value: string) => [...new Set(value.split(',').map(Number))].sort((a, b) => b - a);

/**
 * Settings every Warren service reads from its environment. `service` fills in the defaults
 * that name its database and role; local development needs no configuration at all.
 */
export function baseConfigSchema(service: string, defaultPort: number) {
  return z
    .object(baseSettings(service, defaultPort))
    .superRefine(requireIssuerInProduction)
    .transform((config) => ({
      ...config,
      // Local development provisions its own database; production never guesses an admin URL.
      DATABASE_ADMIN_URL:
        config.DATABASE_ADMIN_URL ?? (config.NODE_ENV === 'production' ? '' : 'postgres://postgres@127.0.0.1:5432/postgres'),
    }));
}

/**
 * The names of every setting a Warren service reads: the one list that `.env.example` and the
 * README's settings table are checked against.
 */
export function settingNames(): string[] {
  return Object.keys(baseSettings('service', 0));
}

function baseSettings(service: string, defaultPort: number) {
  return {
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    // 0 asks the OS for a free port (tests); the service logs the port it got.
    PORT: z.coerce.number().int().min(0).max(65_535).default(defaultPort),
    HOST: z.string().default('0.0.0.0'),
    SERVICE_VERSION: z.string().default('0.1.0'),
    DATABASE_URL: z.url().default(`postgres://${service}@127.0.0.1:5432/${service}`),
    DATABASE_ADMIN_URL: z.union([z.url(), z.literal('')]).optional(),
    MIGRATION_DATABASE_URL: z.union([z.url(), z.literal('')]).optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    // PostgreSQL's statement_timeout for the runtime connections (lock waits included); 0 = none.
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(0),
    AMQP_URL: z.url().default('amqp://guest:guest@127.0.0.1:5672'),
    EVENTS_EXCHANGE: z.string().min(1).default('events'),
    CONSUMER_PREFETCH: z.coerce.number().int().min(1).max(1_000).default(32),
    // catalog: the versions each item written is published in (newest first; 1,2 during the
    // migration window to v2). inventory: the versions its queue is bound to; it handles the
    // newest and reads older ones upcast. Others ignore it.
    ITEM_CREATED_VERSIONS: itemCreatedVersions.default(service === 'inventory' ? '1,2' : '2').transform(newestFirst),
    RETRY_DELAYS_MS: milliseconds.default('1000,5000,30000').transform((value) => value.split(',').map(Number)),
    DELIVERY_LIMIT: z.coerce.number().int().min(2).max(1_000).default(20),
    RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(5_000).default(500),
    RELAY_POLL_INTERVAL_MS: z.coerce.number().int().min(10).default(1_000),
    OUTBOX_RETENTION_HOURS: hours.default(168),
    INBOX_RETENTION_HOURS: hours.default(720),
    IDEMPOTENCY_LEASE_MS: z.coerce.number().int().min(100).default(30_000),
    IDEMPOTENCY_RETENTION_HOURS: hours.min(24, 'keys are kept at least 24 hours').default(48),
    RETENTION_INTERVAL_MS: z.coerce.number().int().min(1_000).default(600_000),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
    AUTH_ISSUER: z.union([z.url(), z.literal('')]).default(''),
    AUTH_AUDIENCE: z.string().min(1).default(`warren-${service}`),
    AUTH_JWKS_URL: z.union([z.url(), z.literal('')]).default(''),
    AUTH_ALGORITHMS: z.string().default('RS256,PS256,ES256,EdDSA').transform((value) => value.split(',').map((entry) => entry.trim())),
    AUTH_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
    AUTH_DISABLED: bool.default(false),
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean)),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
    AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(0).default(60),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1_024).default(1_048_576),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_PRETTY: bool.default(false),
    // Read by the OpenTelemetry SDK itself (the telemetry preload); validated here so that a
    // typo stops the service with a message instead of exporting nothing.
    OTEL_SDK_DISABLED: bool.default(false),
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url().default('http://localhost:4318'),
    OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(['http/protobuf', 'http/json', 'grpc']).default('http/protobuf'),
    OTEL_SERVICE_NAME: z.string().default(service),
    OTEL_TRACES_SAMPLER: z
      .enum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'])
      .default('parentbased_always_on'),
    OTEL_RESOURCE_ATTRIBUTES: z.string().default(''),
  };
}

function requireIssuerInProduction(config: { NODE_ENV: string; AUTH_ISSUER: string; AUTH_DISABLED: boolean }, context: z.RefinementCtx): void {
  if (config.NODE_ENV === 'production' && !config.AUTH_ISSUER && !config.AUTH_DISABLED) {
    context.addIssue({ code: 'custom', path: ['AUTH_ISSUER'], message: 'required in production (or set AUTH_DISABLED=true explicitly to run without authentication)' });
  }
}

export type BaseConfig = z.infer<ReturnType<typeof baseConfigSchema>>;

/** Thrown when the environment does not validate; its message lists every problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses `env` once; throws `ConfigError` naming each bad variable and why. */
export function parseConfig<TSchema extends z.ZodType>(schema: TSchema, env: NodeJS.ProcessEnv = process.env): z.infer<TSchema> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
  throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
}
