import { CliError } from './errors.ts';

/** The services whose outbox `outbox status` reports when no `--service` is given. */
export const producingServices = ['catalog', 'inventory'] as const;

/** What warren reads from its environment, with the defaults of a local development stack. */
export interface CliConfig {
  amqpUrl: string;
  /**
   * Management API base URL (`AMQP_MANAGEMENT_URL`), when set: `dlq list` also lists the `*.dlq`
   * queues it finds there, beyond those of Warren's declared consumers.
   */
  managementUrl: string | undefined;
  /** The events exchange (`EVENTS_EXCHANGE`). */
  exchange: string;
}

/** Reads `AMQP_URL` and `EVENTS_EXCHANGE`, defaulting each, and the optional `AMQP_MANAGEMENT_URL`. */
export function readConfig(env: NodeJS.ProcessEnv): CliConfig {
  return {
    amqpUrl: env['AMQP_URL'] || 'amqp://guest:guest@127.0.0.1:5672',
    managementUrl: env['AMQP_MANAGEMENT_URL'] || undefined,
    exchange: env['EVENTS_EXCHANGE'] || 'events',
  };
}

function databaseVariable(service: string): string {
  return `${service.toUpperCase().replaceAll('-', '_')}_DATABASE_URL`;
}

/**
 * The database URL of a service: `<SERVICE>_DATABASE_URL`, else
 * `postgres://<service>@127.0.0.1:5432/<service>`. A service outside `known` (by default the
 * producing services) is accepted only when its variable is set; anything else throws `CliError`.
 */
export function serviceDatabaseUrl(env: NodeJS.ProcessEnv, service: string, known: readonly string[] = producingServices): string {
  const variable = databaseVariable(service);
  const configured = /^[a-z][a-z0-9-]*$/.test(service) ? env[variable] : undefined;
  if (configured) return configured;
  if (known.includes(service)) return `postgres://${service}@127.0.0.1:5432/${service}`;
  throw new CliError(`unknown service ${service}: expected one of ${known.join(', ')} (or set ${variable})`);
}

