import postgres, { type Sql } from 'postgres';

/** Read-only connections to the producers' databases, for their outbox archive. */
export interface ArchiveSources {
  /** The producers whose archive can be read. */
  readonly services: readonly string[];
  /** The connection to `service`'s database; undefined for an unknown service. */
  sqlOf(service: string): Sql | undefined;
  close(): Promise<void>;
}

/**
 * One small pool per producer, opened on first use, in read-only transactions by default: the
 * console reads another service's archive as the CLI's `archive replay` does, and never writes it.
 */
export function createArchiveSources(urls: Record<string, string>): ArchiveSources {
  const pools = new Map<string, Sql>();
  return {
    services: Object.keys(urls).sort(),
    sqlOf(service) {
      const url = Object.hasOwn(urls, service) ? urls[service] : undefined;
      if (!url) return undefined;
      let sql = pools.get(service);
      if (!sql) {
        sql = postgres(url, { max: 2, onnotice: () => {}, connection: { application_name: 'console-archive', default_transaction_read_only: true } });
        pools.set(service, sql);
      }
      return sql;
    },
    async close() {
      await Promise.all([...pools.values()].map((sql) => sql.end({ timeout: 5 })));
    },
  };
}
