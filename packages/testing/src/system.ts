import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import postgres from 'postgres';
import { withDatabase } from './database.ts';
import { spawnService, type ServiceProcess } from './services.ts';

export const serviceNames = ['audit', 'inventory', 'console', 'catalog'] as const;
export type ServiceName = (typeof serviceNames)[number];

export interface SystemOptions {
  /** Admin URL of the PostgreSQL server. */
  adminUrl: string;
  /** AMQP URL of the vhost the services share. */
  amqpUrl: string;
  /** Prefix of the databases (`<prefix>_catalog`, …); random when absent. */
  prefix?: string;
  /** Extra environment for every service. */
  env?: Record<string, string>;
  /** Extra environment for one service, on top of `env` (a delivery limit, a proxied database URL). */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
}

/** The services running as processes against their own databases and one vhost. */
export interface RunningSystem {
  services: Record<ServiceName, ServiceProcess>;
  /** `postgres://…` admin URL of a service's database, for assertions. */
  databaseUrl(service: ServiceName): string;
  /** The environment a service was started with (to restart it). */
  envOf(service: ServiceName): Record<string, string>;
  /**
   * Restarts one service (after `stop()` or `kill()`), replacing it in `services`; `env` is added
   * to its environment for this process only (a failpoint, say).
   */
  restart(service: ServiceName, env?: Record<string, string>): Promise<ServiceProcess>;
  /** Stops every service gracefully and drops the databases. */
  close(): Promise<void>;
}

/** A port nothing listens on right now (the OS picks it), for a service whose URL must be known before it starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port assigned');
  return address.port;
}

/** The services whose counters the console reads (its message rates): every one but the console, a service added by new:service too. */
const measured = serviceNames.filter((name) => name !== 'console');

/**
 * Starts audit, inventory, console and catalog (consumers first, so their queues exist before the first
 * event) with fresh databases named after `prefix`; each service provisions and migrates its own.
 */
export async function startSystem({
  adminUrl,
  amqpUrl,
  prefix = `sys_${randomBytes(4).toString('hex')}`,
  env = {},
  serviceEnv = {},
}: SystemOptions): Promise<RunningSystem> {
  // Their ports are chosen up front: the console, started before catalog, is told their /metrics URLs,
  // and a restarted service comes back on the same port.
  const ports = Object.fromEntries(await Promise.all(measured.map(async (service) => [service, (serviceEnv[service]?.PORT ?? env.PORT ?? String(await freePort()))] as const)));
  const envOf = (service: ServiceName): Record<string, string> => ({
    DATABASE_URL: withDatabase(adminUrl, `${prefix}_${service}`, service),
    DATABASE_ADMIN_URL: adminUrl,
    AMQP_URL: amqpUrl,
    RETRY_DELAYS_MS: '200,1000',
    RELAY_POLL_INTERVAL_MS: '200',
    ...(ports[service] === undefined ? {} : { PORT: ports[service] }),
    // The console reads the producers' archives and outbox backlog from this system's databases, and
    // the message rates from this system's services' counters.
    ...(service === 'console'
      ? {
          CONSOLE_ARCHIVE_DATABASE_URLS: (['catalog', 'inventory'] as const).map((producer) => `${producer}=${withDatabase(adminUrl, `${prefix}_${producer}`, producer)}`).join(','),
          CONSOLE_METRICS_URLS: measured.map((name) => `${name}=http://127.0.0.1:${ports[name]}/metrics`).join(','),
        }
      : {}),
    ...env,
    ...serviceEnv[service],
  });
  const services = {} as Record<ServiceName, ServiceProcess>;
  for (const service of serviceNames) services[service] = await spawnService(service, { env: envOf(service) });
  return {
    services,
    envOf,
    databaseUrl: (service) => withDatabase(adminUrl, `${prefix}_${service}`),
    async restart(service, extra = {}) {
      services[service] = await spawnService(service, { env: { ...envOf(service), ...extra } });
      return services[service];
    },
    async close() {
      await Promise.all(serviceNames.map((service) => services[service].stop()));
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        for (const service of serviceNames) await admin.unsafe(`drop database if exists "${prefix}_${service}" with (force)`);
      } finally {
        await admin.end();
      }
    },
  };
}
