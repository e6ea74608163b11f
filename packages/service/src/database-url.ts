/** The database and role a PostgreSQL URL names. */
export function databaseTarget(url: string): { database: string; role: string } {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  const role = decodeURIComponent(parsed.username);
  if (!database || !role) throw new Error('DATABASE_URL must name both a user and a database');
  if (!/^[a-z_][a-z0-9_]{0,50}$/.test(database) || !/^[a-z_][a-z0-9_]{0,50}$/.test(role)) {
    throw new Error('database and role names must be lower-case identifiers (letters, digits, underscore)');
  }
  return { database, role };
}

/** The same server as `url`, another database. */
export function onDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
