import { queuesOf, readArchiveSummary, runPgTool } from '@warren/operations';
import { rename, rm, stat } from 'node:fs/promises';
import { messagingServices } from '@warren/contracts';
import { serviceDatabaseUrl } from '../config.ts';
import type { Command, RunContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { parseOptions, required } from '../options.ts';

const usage = `Usage: warren backup --service S --file F [--url URL]

Takes a logical backup of S's database with pg_dump: custom format, one consistent snapshot, the
service may keep running. It is written to F.partial and renamed to F once complete; an existing
F is never overwritten. Prints when the dump started (the archive records it too): the --since of
warren recover after this backup is restored.
  --service S   the service whose database is dumped (audit, catalog, inventory)
  --file F      the archive to write
  --url URL     the database to dump (default <SERVICE>_DATABASE_URL); the role must read every
                table and sequence: the owner (S_owner) or a superuser, not the runtime role
`;

const options = {
  service: { type: 'string' },
  file: { type: 'string' },
  url: { type: 'string' },
} as const;

async function exists(file: string): Promise<boolean> {
  return stat(file).then(() => true, () => false);
}

/** `warren backup`: exit 0 once the archive is complete under its final name, 1 otherwise (nothing left under it). */
export const backup: Command = {
  name: 'backup',
  summary: "dump one service's database with pg_dump (custom format)",
  usage,
  async run(args: string[], context: RunContext): Promise<number> {
    const values = parseOptions(args, options, usage);
    const service = required(values.service, 'service', usage);
    const file = required(values.file, 'file', usage);
    const known = messagingServices() as string[];
    if (!known.includes(service)) throw new CliError(`unknown service ${service}: expected one of ${known.join(', ')}`);
    const url = values.url ?? serviceDatabaseUrl(context.env, service, known);
    if (await exists(file)) throw new CliError(`${file} exists: refusing to overwrite a backup (choose another --file)`);
    const partial = `${file}.partial`;
    try {
      await runPgTool('pg_dump', ['--format=custom', '--no-password', `--file=${partial}`], { url });
      await rename(partial, file);
    } finally {
      await rm(partial, { force: true });
    }
    const summary = await readArchiveSummary(file);
    const { size } = await stat(file);
    const since = summary.createdAt.toISOString();
    context.stdout.write(`backed up database ${summary.database} of ${service} to ${file} (${size} bytes), dump started at ${since}\n`);
    if (queuesOf(service).length > 0) context.stdout.write(`after restoring it: npm run warren -- recover --service ${service} --since ${since}\n`);
    return 0;
  },
};
