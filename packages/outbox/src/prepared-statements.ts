import { PostgresJsPreparedQuery } from 'drizzle-orm/postgres-js';

const applied = Symbol.for('warren.prepared-statements');

/**
 * Makes every drizzle query on postgres.js a named prepared statement, cached per connection by
 * its text. drizzle prepares only queries given a name, so PostgreSQL would otherwise parse and
 * plan each statement again on every request and delivery; Warren's statements are few and
 * repeat constantly. Idempotent.
 */
export function prepareDrizzleStatements(): void {
  const prototype = PostgresJsPreparedQuery.prototype as unknown as Record<string | symbol, unknown>;
  if (prototype[applied]) return;
  prototype[applied] = true;
  for (const method of ['execute', 'all'] as const) {
    const original = prototype[method] as (this: { prepare: boolean }, ...args: unknown[]) => Promise<unknown>;
    prototype[method] = function preparedQuery(this: { prepare: boolean }, ...args: unknown[]) {
      this.prepare = true;
      return original.apply(this, args);
    };
  }
}
