import { execFile } from 'node:child_process';
import { OperationsError } from './errors.ts';

/** How a PostgreSQL client tool reaches a database: the URL without its password, which goes in PGPASSWORD. */
interface ToolConnection {
  url: string;
  env: NodeJS.ProcessEnv;
}

// A password on the command line would be visible to every user of the machine (ps).
function connection(url: string): ToolConnection {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { url: parsed.toString(), env: password === '' ? {} : { PGPASSWORD: password } };
}

/**
 * Runs a PostgreSQL client tool (`pg_dump`, `pg_restore`) from PATH with `args`, non-interactive
 * and with `TZ=UTC` (archive times print in UTC); resolves with its stdout. Throws `OperationsError` (`tool_failed`) with
 * its stderr when it fails, or saying so when it is not installed.
 */
export function runPgTool(tool: string, args: readonly string[], { url, env = {} }: { url?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const target = url === undefined ? undefined : connection(url);
  const finalArgs = [...args, ...(target ? [`--dbname=${target.url}`] : [])];
  return new Promise((resolve, reject) => {
    execFile(tool, finalArgs, { env: { ...process.env, ...env, ...target?.env, TZ: 'UTC', PGCONNECT_TIMEOUT: '10' }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return reject(new OperationsError('tool_failed', `${tool} is not on PATH: install the PostgreSQL client tools of the server's major version (or newer)`));
      }
      reject(new OperationsError('tool_failed', `${tool} failed: ${stderr.trim() || error.message}`));
    });
  });
}

/** What the header and table of contents of a custom-format archive say (`pg_restore --list`). */
export interface ArchiveSummary {
  /** The database the dump was taken of. */
  database: string;
  /** When pg_dump started: no later than its snapshot, so a safe `--since` for `warren recover`. */
  createdAt: Date;
  /** `schema.table` of every table the archive re-creates. */
  tables: string[];
}

/** Reads `file`'s archive header; throws `OperationsError` (`tool_failed`) when it is not a pg_dump custom-format archive. */
export async function readArchiveSummary(file: string): Promise<ArchiveSummary> {
  const listing = await runPgTool('pg_restore', ['--list', file]);
  const database = /^;\s+dbname: (.+)$/m.exec(listing)?.[1]?.trim();
  const created = /^;\s+Archive created at (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC$/m.exec(listing);
  if (database === undefined || !created) throw new OperationsError('tool_failed', `${file} does not read as a pg_dump custom-format archive`);
  const tables = [...listing.matchAll(/^\d+; \d+ \d+ TABLE (?!DATA )(\S+) (\S+) /gm)].map(([, schema, table]) => `${schema}.${table}`);
  return { database, createdAt: new Date(`${created[1]}T${created[2]}Z`), tables };
}
