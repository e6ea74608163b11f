import { OperationsError, openBroker, redactUrl, type Broker } from '@warren/operations';
import postgres, { type Sql } from 'postgres';
import { readConfig, serviceDatabaseUrl } from './config.ts';
import type { RunContext } from './context.ts';
import { CliError, describeError } from './errors.ts';

/** Runs `work` with a broker connection to `AMQP_URL`, closed afterwards whatever happens. */
export async function withBroker<T>(context: RunContext, work: (broker: Broker) => Promise<T>): Promise<T> {
  const broker = await openBroker(readConfig(context.env).amqpUrl, { name: 'warren-cli' });
  try {
    return await work(broker);
  } finally {
    await broker.close();
  }
}

/**
 * Runs `work` with a small postgres.js client of `service`'s database, ended afterwards.
 * Unknown services and database errors become `CliError`s naming the service and (redacted) URL.
 */
export async function withServiceDatabase<T>(context: RunContext, service: string, work: (sql: Sql) => Promise<T>): Promise<T> {
  return withDatabaseUrl(serviceDatabaseUrl(context.env, service), service, work);
}

/** Runs `work` with a small postgres.js client of `url`; database errors become `CliError`s naming `label` and the (redacted) URL. */
export async function withDatabaseUrl<T>(url: string, label: string, work: (sql: Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 2, connect_timeout: 10, onnotice: () => {}, connection: { application_name: 'warren-cli' } });
  try {
    return await work(sql);
  } catch (error) {
    if (error instanceof CliError || error instanceof OperationsError) throw error;
    throw new CliError(`${label} database (${redactUrl(url)}): ${describeError(error)}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
