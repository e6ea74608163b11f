import { z } from 'zod';
import { eventProducers } from '@warren/contracts';
import { baseConfigSchema, parseConfig, type BaseConfig } from '@warren/service';

const bool = z.enum(['true', 'false']).transform((value) => value === 'true');

/** The console's own settings, on top of every service's (see apps/console/README.md). */
const consoleSettings = z.object({
  // Where browsers reach the console (the OIDC redirect URI and the CSRF origin check derive from
  // it); unset, the origin of each request is taken, which suits local development only.
  CONSOLE_PUBLIC_URL: z.url().optional(),
  CONSOLE_OIDC_CLIENT_ID: z.string().min(1).default('warren-console'),
  CONSOLE_OIDC_CLIENT_SECRET: z.string().default(''),
  CONSOLE_SESSION_HOURS: z.coerce.number().positive().max(168).default(8),
  CONSOLE_INDEX_INTERVAL_MS: z.coerce.number().int().min(500).default(15_000),
  CONSOLE_RETRY_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(50),
  CONSOLE_RETRY_WINDOW_MS: z.coerce.number().int().min(1_000).default(120_000),
  CONSOLE_ALLOW_EDIT: bool.default(false),
  CONSOLE_GRAFANA_URL: z.url().default('http://localhost:3000'),
  CONSOLE_TEMPO_DATASOURCE: z.string().default('tempo'),
  CONSOLE_LOKI_DATASOURCE: z.string().default('loki'),
  // `service=url,…`: the producers' databases whose outbox archive the console may read.
  CONSOLE_ARCHIVE_DATABASE_URLS: z
    .string()
    .regex(/^([a-z][a-z0-9-]*=\S+)?(,[a-z][a-z0-9-]*=\S+)*$/, 'a comma-separated list of service=postgres-url')
    .optional(),
  // `service=url,…`: each service's Prometheus `/metrics`, whose counters give the message rates.
  CONSOLE_METRICS_URLS: z
    .string()
    .regex(/^([a-z][a-z0-9-]*=\S+)?(,[a-z][a-z0-9-]*=\S+)*$/, 'a comma-separated list of service=metrics-url')
    .optional(),
});

export type ConsoleConfig = BaseConfig & Omit<z.infer<typeof consoleSettings>, 'CONSOLE_ARCHIVE_DATABASE_URLS' | 'CONSOLE_METRICS_URLS'> & {
  CONSOLE_ARCHIVE_DATABASE_URLS: Record<string, string>;
  CONSOLE_METRICS_URLS: Record<string, string>;
};

const pairs = (value: string): Record<string, string> => Object.fromEntries(value.split(',').filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));

/** Outside production, each producer's archive is its local default database, as the CLI assumes. */
function archiveUrls(value: string | undefined, production: boolean): Record<string, string> {
  if (value !== undefined) return pairs(value);
  return production ? {} : Object.fromEntries(eventProducers.map(({ service }) => [service, `postgres://${service}@127.0.0.1:5432/${service}`]));
}

/** Outside production, the services on their local default ports. */
const localMetrics = { catalog: 'http://127.0.0.1:3001/metrics', inventory: 'http://127.0.0.1:3002/metrics', audit: 'http://127.0.0.1:3003/metrics' };

function metricsUrls(value: string | undefined, production: boolean): Record<string, string> {
  if (value !== undefined) return pairs(value);
  return production ? {} : localMetrics;
}

/** Reads and validates the console's environment once (see apps/console/README.md). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ConsoleConfig {
  const base = parseConfig(baseConfigSchema('console', 3004), env);
  const own = parseConfig(consoleSettings, env);
  return { ...base, ...own, CONSOLE_ARCHIVE_DATABASE_URLS: archiveUrls(own.CONSOLE_ARCHIVE_DATABASE_URLS, base.NODE_ENV === 'production'),
    CONSOLE_METRICS_URLS: metricsUrls(own.CONSOLE_METRICS_URLS, base.NODE_ENV === 'production'),
  };
}
