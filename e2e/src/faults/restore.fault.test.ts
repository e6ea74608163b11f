import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infrastructure, waitFor } from '@warren/testing';
import { startFaultSystem, type FaultSystem } from '../support/fault-system.ts';
import { assertInvariants } from '../support/invariants.ts';
import { withSql } from '../support/sql.ts';
import { duringStream } from '../support/stream.ts';
import { runWarren, type WarrenRun } from '../support/warren-cli.ts';

const consumers = ['audit', 'inventory'] as const;
type Consumer = (typeof consumers)[number];

/** Why pg_dump cannot back up the run's server (missing, or older than it), or undefined when it can. */
async function pgDumpProblem(): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)('pg_dump', ['--version']);
    const tools = Number(/(\d+)\.\d+/.exec(stdout)?.[1]);
    const server = await withSql(infrastructure().databaseUrl, async (sql) => Number((await sql<{ v: string }[]>`show server_version_num`.then((rows) => rows[0]?.v)) ?? 0));
    return tools >= Math.floor(server / 10_000) ? undefined : `pg_dump ${tools} is older than the server (${server})`;
  } catch (error) {
    return `pg_dump is not usable: ${error instanceof Error ? error.message : String(error)}`;
  }
}

const count = (url: string, query: string) => withSql(url, async (sql) => Number((await sql.unsafe<{ n: string }[]>(query))[0]?.n ?? 0));
const applied: Record<Consumer, string> = { audit: 'select count(*) as n from events', inventory: 'select count(*) as n from stock' };

function succeeded(run: WarrenRun, what: string): string {
  expect(run, `${what}: ${run.stderr}`).toMatchObject({ code: 0 });
  return run.stdout;
}

describe('consumers restored from a backup catch up with warren recover', () => {
  let faults: FaultSystem;
  let directory: string | undefined;
  let unavailable: string | undefined;
  const items = new Set<string>();

  beforeAll(async () => {
    unavailable = await pgDumpProblem();
    if (unavailable) return;
    directory = await mkdtemp(join(tmpdir(), 'warren-backup-'));
    faults = await startFaultSystem('restore');
  });
  afterAll(async () => {
    await faults?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  const catalog = () => [faults.system.services.catalog.baseUrl];
  const url = (service: 'audit' | 'inventory' | 'catalog') => faults.system.databaseUrl(service);
  const warren = (args: string[]) =>
    runWarren(faults.vhost, args, { CATALOG_DATABASE_URL: url('catalog'), INVENTORY_DATABASE_URL: url('inventory'), AUDIT_DATABASE_URL: url('audit') });

  it('applies every event once in audit and inventory after a mid-stream backup, more writes, a restore and a recovery', { timeout: 120_000 }, async (context) => {
    context.skip(unavailable !== undefined, unavailable);
    const dump = (service: Consumer) => join(directory ?? tmpdir(), `${service}.dump`);
    const since: Partial<Record<Consumer, string>> = {};
    const atBackup: Partial<Record<Consumer, number>> = {};
    await duringStream(
      'restore',
      items,
      async (writer) => {
        for (const service of consumers) {
          const out = succeeded(await warren(['backup', '--service', service, '--file', dump(service)]), `backup ${service}`);
          since[service] = /--since (\S+)/.exec(out)?.[1];
          atBackup[service] = await count(url(service), applied[service]);
        }
        // Keep writing until both consumers have applied events their backups do not hold.
        await writer.acceptMore(10);
        for (const service of consumers) {
          await waitFor(async () => (await count(url(service), applied[service])) >= (atBackup[service] ?? 0) + 5, { description: `${service} to apply events after its backup` });
        }
        const refused = await warren(['restore', '--service', 'audit', '--file', dump('audit'), '--yes']);
        expect(refused.code, 'a restore under a running consumer is refused').toBe(1);
        expect(refused.stderr).toMatch(/audit\.event-log has \d+ consumer\(s\) attached: stop every instance of audit/);

        for (const service of consumers) {
          const before = await count(url(service), applied[service]);
          await faults.system.services[service].stop();
          const database = `${faults.prefix}_${service}`;
          await waitFor(() => withSql(infrastructure().databaseUrl, async (sql) => (await sql`select 1 from pg_stat_activity where datname = ${database}`).length === 0), { description: `${service}'s sessions to end` });
          succeeded(await warren(['restore', '--service', service, '--file', dump(service), '--yes']), `restore ${service}`);
          const restored = await count(url(service), applied[service]);
          expect(restored, `${service} restored to its backup, losing what it applied since`).toBeLessThan(before);
          await faults.system.restart(service);
        }
      },
      { targets: catalog, before: 5, after: 10 },
    );

    for (const service of consumers) {
      const out = succeeded(await warren(['recover', '--service', service, '--since', since[service] ?? 'missing']), `recover ${service}`);
      expect(out).toMatch(/re-published (\d+) of \1 archived event\(s\)/);
    }
    await assertInvariants(faults.system, faults.vhost, { items });
  });
});
