import { serviceNames, startSystem } from '@warren/testing';
import type { RunningSubject } from './subject.ts';
import { warrenProbe } from './warren-probe.ts';

export interface WarrenSubjectOptions {
  adminUrl: string;
  /** AMQP URL of a fresh vhost for this subject alone. */
  amqpUrl: string;
  /** Databases are `<prefix>_<service>`. */
  prefix: string;
  /** Environment of the three services, on top of `startSystem`'s. */
  env: Record<string, string>;
}

/**
 * Starts audit, inventory and catalog with `startSystem` (each as its own process, as `npm start`
 * runs it); `close()` stops them (SIGTERM) and drops their databases.
 */
export async function startWarren({ adminUrl, amqpUrl, prefix, env }: WarrenSubjectOptions): Promise<RunningSubject> {
  const system = await startSystem({ adminUrl, amqpUrl, prefix, env });
  const probe = warrenProbe((service) => system.databaseUrl(service));
  return {
    baseUrl: system.services.catalog.baseUrl,
    probe,
    processes: serviceNames.map((name) => system.services[name]),
    idle: { processes: serviceNames.map((name) => ({ name, pid: system.services[name].child.pid })), databases: serviceNames.map((name) => `${prefix}_${name}`) },
    async close() {
      await probe.close();
      await system.close();
    },
  };
}
