import postgres from 'postgres';

/** The naive services' databases: one each, like Warren's, with a unique key per table and nothing else. */
export const naiveSchemas = {
  catalog: `create table items (
      id uuid primary key,
      name text not null,
      sku text not null unique,
      price_cents integer not null,
      created_at timestamptz not null
    )`,
  inventory: `create table stock (
      item_id uuid primary key,
      sku text not null,
      quantity integer not null default 0,
      received_at timestamptz not null default clock_timestamp()
    )`,
  audit: `create table events (
      id uuid primary key,
      type text not null,
      timestamp timestamptz not null,
      data jsonb not null,
      received_at timestamptz not null default clock_timestamp()
    )`,
} as const;

export type NaiveServiceName = keyof typeof naiveSchemas;
export const naiveServiceNames = Object.keys(naiveSchemas) as NaiveServiceName[];

/** `adminUrl` with its database replaced by `database`. */
export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates the database `name` on the server of `adminUrl` and applies `schema` to it. */
export async function createNaiveDatabase(adminUrl: string, name: string, schema: string): Promise<string> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = databaseUrl(adminUrl, name);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(schema);
  } finally {
    await sql.end({ timeout: 5 });
  }
  return url;
}
