import { queuesOf, readArchiveSummary, runPgTool, type ArchiveSummary, type Broker } from '@warren/operations';
import { messagingServices } from '@warren/contracts';
import type { Sql } from 'postgres';
import { serviceDatabaseUrl } from '../config.ts';
import type { Command, RunContext } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { parseOptions, required } from '../options.ts';
import { withBroker, withDatabaseUrl } from '../sessions.ts';

const usage = `Usage: warren restore --service S --file F [--url URL] --yes

Restores S's database from F (written by warren backup, or pg_dump --format=custom) with
pg_restore --clean --if-exists --single-transaction: all of it or nothing. Before anything
changes it checks, and refuses otherwise, that:
  - F is an archive of the database URL names (same database name);
  - the role may drop and re-create its tables (a superuser or a member of the database owner);
  - nothing else is connected to the database (S's processes are stopped);
  - no consumer is attached to S's queues (no instance of S runs anywhere);
  - the database has no table F lacks (one a later migration made: restore into a fresh database).
Then prints the warren recover command that brings S up to date from the producers' archives.
  --service S   the service whose database is restored (audit, catalog, inventory)
  --file F      the archive to restore
  --url URL     the database to restore into (default <SERVICE>_DATABASE_URL); connect as the
                owner (S_owner) or a superuser, not the runtime role
  --yes         confirm: the database's current contents are replaced
`;

const options = {
  service: { type: 'string' },
  file: { type: 'string' },
  url: { type: 'string' },
  yes: { type: 'boolean', default: false },
} as const;

async function checkConsumersStopped(broker: Broker, service: string): Promise<void> {
  for (const { queue } of queuesOf(service)) {
    if (!(await broker.queueExists(queue))) continue;
    const consumers = await broker.consumerCount(queue);
    if (consumers > 0) throw new CliError(`${queue} has ${consumers} consumer(s) attached: stop every instance of ${service} before restoring its database`);
  }
}

async function checkDatabase(sql: Sql, service: string, archive: ArchiveSummary): Promise<string> {
  const [target] = await sql<{ database: string; role: string; allowed: boolean }[]>`
    select current_database() as database, current_user as role,
           (select rolsuper from pg_roles where rolname = current_user)
             or pg_has_role(current_user, (select datdba from pg_database where datname = current_database()), 'MEMBER') as allowed`;
  if (!target) throw new CliError('cannot read the target database');
  if (target.database !== archive.database) {
    throw new CliError(`the backup is of database ${archive.database}, the target is ${target.database}: refusing to restore one service's data into another's database`);
  }
  if (!target.allowed) {
    throw new CliError(`role ${target.role} cannot drop and re-create the tables of ${target.database}: connect as its owner (${service}_owner) or a superuser (--url)`);
  }
  const others = await sql<{ who: string }[]>`
    select coalesce(nullif(usename, ''), '?') || ' (' || coalesce(nullif(application_name, ''), 'no name') || ')' as who
    from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
  if (others.length > 0) {
    throw new CliError(`${others.length} other session(s) are connected to ${target.database} (${[...new Set(others.map((row) => row.who))].join(', ')}): stop ${service} first`);
  }
  const tables = await sql<{ name: string }[]>`
    select schemaname || '.' || tablename as name from pg_tables where schemaname in ('public', 'drizzle') order by 1`;
  const extra = tables.map((row) => row.name).filter((name) => !archive.tables.includes(name));
  if (extra.length > 0) {
    throw new CliError(`${target.database} has table(s) the backup lacks (${extra.join(', ')}), from a later migration: restore into a fresh database instead`);
  }
  return target.database;
}

/** `warren restore`: exit 0 once pg_restore committed, 1 when a check refused or pg_restore failed (nothing changed), 2 without `--yes`. */
export const restore: Command = {
  name: 'restore',
  summary: "replace one service's database with a backup (checks first; requires --yes)",
  usage,
  async run(args: string[], context: RunContext): Promise<number> {
    const values = parseOptions(args, options, usage);
    const service = required(values.service, 'service', usage);
    const file = required(values.file, 'file', usage);
    if (!values.yes) throw new UsageError(`refusing to restore ${service} without --yes: the database's current contents are replaced`, usage);
    const known = messagingServices() as string[];
    if (!known.includes(service)) throw new CliError(`unknown service ${service}: expected one of ${known.join(', ')}`);
    const url = values.url ?? serviceDatabaseUrl(context.env, service, known);
    const archive = await readArchiveSummary(file);
    await withBroker(context, (broker) => checkConsumersStopped(broker, service));
    const database = await withDatabaseUrl(url, service, (sql) => checkDatabase(sql, service, archive));
    await runPgTool('pg_restore', ['--clean', '--if-exists', '--single-transaction', '--exit-on-error', '--no-password', file], { url });
    const since = archive.createdAt.toISOString();
    context.stdout.write(`restored database ${database} of ${service} from ${file} (dump started at ${since})\n`);
    if (queuesOf(service).length > 0) {
      context.stdout.write(`start ${service}, then re-send what it lost: npm run warren -- recover --service ${service} --since ${since}\n`);
    } else {
      // A restored producer's relay re-sends the rows it held unpublished at backup time; consumers' inboxes drop those already applied.
      context.stdout.write(`${service} consumes nothing: nothing to recover into it; what it wrote after the backup is gone from it, not from its consumers\n`);
    }
    return 0;
  },
};
