import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import postgres from 'postgres';
import { brokerAdminFrom, createVhost, detectBrokerAdmin, startSystem, startTestIssuer, type BrokerAdminSpec, type TestIssuer } from '@warren/testing';

/** Where the collections send their requests, and how to take it all down again. */
export interface Stack {
  urls: { catalogUrl: string; inventoryUrl: string; auditUrl: string; consoleUrl: string };
  issuer: TestIssuer;
  /** Stops the services, drops their databases, deletes the vhost and stops the issuer; never throws. */
  close(): Promise<string[]>;
}

export interface StackOptions {
  /** Admin URL of the PostgreSQL server. */
  adminUrl: string;
  amqpUrl: string;
  /** RabbitMQ management API, when set: the vhost is made through it if it answers, else through `rabbitmqctl`. */
  managementUrl?: string | undefined;
  /** Administer the broker only this way (`WARREN_TEST_BROKER_ADMIN`, as in the vitest runs); default: try both. */
  brokerAdmin?: BrokerAdminSpec['kind'] | undefined;
  log: (message: string) => void;
}

/** The servers named by the environment, as `npm test` and `.ci/run` provide them. */
export function infrastructureFromEnv(env: NodeJS.ProcessEnv = process.env): Omit<StackOptions, 'log'> {
  return {
    adminUrl: env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres',
    amqpUrl: env['AMQP_URL'] || 'amqp://guest:guest@127.0.0.1:5672',
    managementUrl: env['AMQP_MANAGEMENT_URL'] || undefined,
    brokerAdmin: env['WARREN_TEST_BROKER_ADMIN'] === 'management' || env['WARREN_TEST_BROKER_ADMIN'] === 'rabbitmqctl' ? env['WARREN_TEST_BROKER_ADMIN'] : undefined,
  };
}

type Undo = { what: string; action: () => Promise<unknown> };

async function undoAll(undo: Undo[]): Promise<string[]> {
  const failures: string[] = [];
  for (const { what, action } of undo.reverse()) {
    try {
      await action();
    } catch (error) {
      failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return failures;
}

/** SIGTERMs this process's own children (Linux /proc): services a half-finished start left running. */
async function terminateOwnChildren(): Promise<void> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  for (const entry of entries.filter((name) => /^\d+$/.test(name))) {
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid !== process.pid) continue;
    try {
      process.kill(Number(entry), 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
}

async function dropDatabases(adminUrl: string, prefix: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ datname: string }[]>`select datname from pg_database where starts_with(datname, ${`${prefix}_`})`;
    for (const { datname } of rows) await sql.unsafe(`drop database if exists "${datname}" with (force)`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Starts an in-test OIDC issuer, a fresh vhost and the three services with authentication on
 * against that issuer (fresh databases `coll_<hex>_*`). When any step fails, whatever was started
 * is taken down before the error is rethrown.
 */
export async function startStack({ adminUrl, amqpUrl, managementUrl, brokerAdmin, log }: StackOptions): Promise<Stack> {
  const undo: Undo[] = [];
  try {
    const issuer = await startTestIssuer();
    undo.push({ what: 'issuer', action: () => issuer.close() });
    const admin = brokerAdminFrom(await detectBrokerAdmin({ amqpUrl, managementUrl, only: brokerAdmin }));
    const vhost = await createVhost({ amqpUrl, admin }, 'collections');
    undo.push({ what: `vhost ${vhost.name}`, action: () => vhost.delete() });
    const prefix = `coll_${randomBytes(4).toString('hex')}`;
    log(`starting audit, inventory and catalog (databases ${prefix}_*, vhost ${vhost.name} made through ${admin.spec.kind}, issuer ${issuer.issuer})`);
    undo.push({
      what: 'leftover services and databases',
      action: async () => {
        await terminateOwnChildren();
        await dropDatabases(adminUrl, prefix);
      },
    });
    const system = await startSystem({ adminUrl, amqpUrl: vhost.url, prefix, env: { AUTH_ISSUER: issuer.issuer } });
    undo.push({ what: 'services', action: () => system.close() });
    const { catalog, inventory, audit } = system.services;
    let closing: Promise<string[]> | undefined;
    return {
      urls: { catalogUrl: catalog.baseUrl, inventoryUrl: inventory.baseUrl, auditUrl: audit.baseUrl, consoleUrl: system.services['console'].baseUrl },
      issuer,
      close: () => (closing ??= undoAll(undo)),
    };
  } catch (error) {
    const failures = await undoAll(undo);
    for (const failure of failures) log(`cleanup failed: ${failure}`);
    throw error;
  }
}
