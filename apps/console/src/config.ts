import { z } from 'zod';
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
});

export type ConsoleConfig = BaseConfig & z.infer<typeof consoleSettings>;

/** Reads and validates the console's environment once (see apps/console/README.md). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ConsoleConfig {
  const base = parseConfig(baseConfigSchema('console', 3004), env);
  const own = parseConfig(consoleSettings, env);
  return { ...base, ...own };
}
