import { execFile } from 'node:child_process';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import postgres, { type Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infrastructure } from '@warren/testing';
import { repoPath } from './repo-files.ts';

const run = promisify(execFile);
const script = repoPath('infra/postgres/init/01-warren-roles.sh');

// Unique names, so the real catalog/inventory/audit databases on the same server are untouched.
const tag = `t${randomBytes(3).toString('hex')}`;
const catalog = `${tag}_catalog`;
const inventory = `${tag}_inventory`;
const passwords: Record<string, string> = {
  // Set through the environment (with characters that need quoting in SQL and in URLs)...
  [catalog]: "c@t al'og",
  [`${inventory}_owner`]: 'inventory-owner-secret',
  // ...or left to the script's defaults, the role's own name.
  [`${catalog}_owner`]: `${catalog}_owner`,
  [inventory]: inventory,
};

const admin = new URL(infrastructure().databaseUrl);
const adminSql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
const clients: Sql[] = [];

/** Runs the init script as the image would, against the test server, for the two test services. */
async function runScript(services = `${catalog} ${inventory}`): Promise<void> {
  await run(script, [], {
    env: {
      ...process.env,
      PGHOST: admin.hostname,
      PGPORT: admin.port || '5432',
      PGUSER: decodeURIComponent(admin.username),
      PGPASSWORD: decodeURIComponent(admin.password),
      WARREN_SERVICES: services,
      [`${catalog.toUpperCase()}_PASSWORD`]: passwords[catalog],
      [`${inventory.toUpperCase()}_OWNER_PASSWORD`]: passwords[`${inventory}_owner`],
    },
  });
}

/** A connection to `database` logging in as `role` with the password the script gave it. */
function connect(role: string, database: string): Sql {
  const url = new URL(admin);
  url.username = role;
  url.password = encodeURIComponent(passwords[role] ?? '');
  url.pathname = `/${database}`;
  const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
  clients.push(sql);
  return sql;
}

const insufficientPrivilege = { code: '42501' };

/** Whether a SCRAM-SHA-256 verifier from pg_authid was made from `password` (RFC 5802). */
function scramMatches(verifier: string, password: string): boolean {
  const match = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier);
  if (!match) return false;
  const [, iterations = '', salt = '', storedKey = ''] = match;
  const salted = pbkdf2Sync(password, Buffer.from(salt, 'base64'), Number(iterations), 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  return createHash('sha256').update(clientKey).digest().equals(Buffer.from(storedKey, 'base64'));
}

beforeAll(async () => {
  await runScript();
});

afterAll(async () => {
  await Promise.all(clients.map((sql) => sql.end()));
  for (const database of [catalog, inventory]) await adminSql.unsafe(`drop database if exists "${database}" with (force)`);
  for (const role of Object.keys(passwords)) await adminSql.unsafe(`drop role if exists "${role}"`);
  await adminSql.end();
});

describe('infra/postgres/init/01-warren-roles.sh', () => {
  it("creates each service's database owned by its owner role, roles without special powers", async () => {
    const databases = await adminSql<{ datname: string; owner: string }[]>`
      select datname, pg_get_userbyid(datdba) as owner from pg_database where datname in (${catalog}, ${inventory}) order by datname`;
    expect(databases).toEqual([
      { datname: catalog, owner: `${catalog}_owner` },
      { datname: inventory, owner: `${inventory}_owner` },
    ]);
    const roles = await adminSql`
      select rolname, rolcanlogin, rolsuper, rolcreatedb, rolcreaterole from pg_roles
      where rolname = any(${Object.keys(passwords)}) order by rolname`;
    expect(roles).toHaveLength(4);
    for (const role of roles) expect(role).toMatchObject({ rolcanlogin: true, rolsuper: false, rolcreatedb: false, rolcreaterole: false });
  });

  it('sets each password from <SERVICE>[_OWNER]_PASSWORD, defaulting to the role name', async () => {
    const rows = await adminSql<{ rolname: string; rolpassword: string }[]>`
      select rolname, rolpassword from pg_authid where rolname = any(${Object.keys(passwords)})`;
    expect(rows).toHaveLength(4);
    for (const { rolname, rolpassword } of rows) expect(scramMatches(rolpassword, passwords[rolname] ?? ''), rolname).toBe(true);
  });

  it('lets the runtime role read and write the tables and sequences its owner creates', async () => {
    await connect(`${catalog}_owner`, catalog)`create table items (id bigserial primary key, name text not null)`;
    const runtime = connect(catalog, catalog);
    const [created] = await runtime<{ id: string }[]>`insert into items (name) values ('lamp') returning id`;
    await runtime`update items set name = 'desk lamp' where id = ${created!.id}`;
    expect(await runtime`select name from items`).toEqual([{ name: 'desk lamp' }]);
    await runtime`delete from items where id = ${created!.id}`;
    expect(await runtime`select count(*)::int as count from items`).toEqual([{ count: 0 }]);
  });

  it('refuses the runtime role any DDL', async () => {
    await connect(`${inventory}_owner`, inventory)`create table stock (item_id uuid primary key)`;
    const runtime = connect(inventory, inventory);
    await expect(runtime`create table public.extra (id int)`).rejects.toMatchObject(insufficientPrivilege);
    await expect(runtime`create table drizzle.extra (id int)`).rejects.toMatchObject(insufficientPrivilege);
    await expect(runtime`create temporary table scratch (id int)`).rejects.toMatchObject(insufficientPrivilege);
    await expect(runtime`create schema extra`).rejects.toMatchObject(insufficientPrivilege);
    await expect(runtime`alter table stock add column note text`).rejects.toMatchObject(insufficientPrivilege);
    await expect(runtime`drop table stock`).rejects.toMatchObject(insufficientPrivilege);
  });

  // The app's journal and the ones the outbox and http packages keep for their own tables.
  it.each(['__drizzle_migrations', '__warren_outbox_migrations', '__warren_http_migrations'])(
    'lets the runtime role read the migrations table drizzle.%s but not change it',
    async (table) => {
      const owner = connect(`${catalog}_owner`, catalog);
      await owner`create table drizzle.${owner(table)} (id serial primary key, hash text not null, created_at bigint)`;
      await owner`insert into drizzle.${owner(table)} (hash, created_at) values ('0000', 1)`;
      const runtime = connect(catalog, catalog);
      expect(await runtime`select count(*)::int as count from drizzle.${runtime(table)}`).toEqual([{ count: 1 }]);
      // An explicit id, so that only the table privilege is in question (not the sequence's).
      await expect(runtime`insert into drizzle.${runtime(table)} (id, hash) values (1000, 'forged')`).rejects.toMatchObject(insufficientPrivilege);
      await expect(runtime`delete from drizzle.${runtime(table)}`).rejects.toMatchObject(insufficientPrivilege);
    },
  );

  it("keeps every role out of the other services' databases", async () => {
    for (const [role, foreign] of [
      [catalog, inventory],
      [`${catalog}_owner`, inventory],
      [inventory, catalog],
      [`${inventory}_owner`, catalog],
    ] as const) {
      await expect(connect(role, foreign)`select 1`, `${role} on ${foreign}`).rejects.toMatchObject(insufficientPrivilege);
    }
  });

  it('runs again over an existing setup without changing it', async () => {
    await connect(`${inventory}_owner`, inventory)`create table reservations (id bigserial primary key)`;
    await runScript();
    const runtime = connect(inventory, inventory);
    await runtime`insert into reservations default values`;
    expect(await runtime`select count(*)::int as count from reservations`).toEqual([{ count: 1 }]);
    await expect(runtime`create table public.again (id int)`).rejects.toMatchObject(insufficientPrivilege);
    const [counts] = await adminSql`
      select (select count(*)::int from pg_database where datname like ${`${tag}\\_%`}) as databases,
             (select count(*)::int from pg_roles where rolname like ${`${tag}\\_%`}) as roles`;
    expect(counts).toEqual({ databases: 2, roles: 4 });
  });

  it('rejects a service name that is not a lower-case identifier, creating nothing', async () => {
    const bad = `${tag.toUpperCase()}-Catalog`;
    await expect(runScript(bad)).rejects.toMatchObject({ stderr: expect.stringContaining('is not a lower-case identifier') });
    expect(await adminSql`select 1 from pg_roles where rolname ilike ${`${bad}%`}`).toHaveLength(0);
  });
});
