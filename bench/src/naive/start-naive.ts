import { fileURLToPath } from 'node:url';
import { spawnChild, type BenchChild } from '../child.ts';
import type { RunningSubject } from '../subject.ts';
import { naiveProbe } from './probe.ts';
import { createNaiveDatabase, naiveSchemas, naiveServiceNames, type NaiveServiceName } from './schema.ts';

export interface NaiveOptions {
  adminUrl: string;
  /** AMQP URL of a fresh vhost for the naive services alone. */
  amqpUrl: string;
  /** Databases are `<prefix>_naive_<service>`; the caller drops them. */
  prefix: string;
  /** Environment of the three processes (DATABASE_POOL_SIZE, CONSUMER_PREFETCH). */
  env: Record<string, string>;
}

const file = (name: string): string => fileURLToPath(new URL(`./${name}.ts`, import.meta.url));

/**
 * Starts the naive inventory and audit consumers, then the naive catalog, each as its own process
 * against its own fresh database; `close()` stops them (SIGTERM); the caller drops the databases.
 */
export async function startNaive({ adminUrl, amqpUrl, prefix, env }: NaiveOptions): Promise<RunningSubject> {
  const urls = {} as Record<NaiveServiceName, string>;
  for (const service of naiveServiceNames) urls[service] = await createNaiveDatabase(adminUrl, `${prefix}_naive_${service}`, naiveSchemas[service]);
  const children: BenchChild[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(children.map((child) => child.stop()));
  };
  try {
    for (const service of ['inventory', 'audit'] as const) {
      children.push(await spawnChild({ name: `naive ${service}`, args: [file('consumer'), service], env: { ...env, DATABASE_URL: urls[service], AMQP_URL: amqpUrl } }));
    }
    const catalog = await spawnChild({ name: 'naive catalog', args: [file('catalog')], env: { ...env, DATABASE_URL: urls.catalog, AMQP_URL: amqpUrl } });
    children.push(catalog);
    const probe = naiveProbe((service) => urls[service]);
    return {
      baseUrl: `http://127.0.0.1:${catalog.port}`,
      probe,
      processes: children,
      idle: { processes: children.map((child) => ({ name: child.name, pid: child.child.pid })), databases: naiveServiceNames.map((service) => `${prefix}_naive_${service}`) },
      async close() {
        await probe.close();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
