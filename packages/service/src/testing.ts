import { drizzle } from 'drizzle-orm/postgres-js';
import postgres, { type Sql } from 'postgres';
import { createOutbox } from '@warren/outbox';
import { createLogger, createMetricsRegistry, metricObservers } from '@warren/telemetry';
import { createTestDatabase } from '@warren/testing';
import { baseConfigSchema, parseConfig } from './config.ts';
import { applyMigrations } from './provision.ts';
import type { ServiceDeps } from './start-service.ts';

/** A service's dependencies on a fresh, migrated database, for in-process app and handler tests. */
export interface ServiceTestContext {
  deps: ServiceDeps & { version: string };
  /** Raw SQL on the same database, for assertions. */
  sql: Sql;
  close(): Promise<void>;
}

/** Creates a database for one test file, applies `migrationsFolder` and builds `ServiceDeps`. */
export async function createServiceTestContext(service: string, migrationsFolder: string): Promise<ServiceTestContext> {
  const database = await createTestDatabase(service);
  const logger = createLogger({ service, level: process.env['WARREN_TEST_LOG_LEVEL'] ?? 'silent' });
  await applyMigrations({ url: database.url, migrationsFolder, logger });
  const sql = postgres(database.url, { max: 10, onnotice: () => {} });
  const metrics = createMetricsRegistry({ service });
  const deps = {
    config: parseConfig(baseConfigSchema(service, 0), { DATABASE_URL: database.url }),
    logger,
    db: drizzle(sql),
    outbox: createOutbox({ sourceService: service }),
    readiness: { database: async () => void (await sql`select 1`) },
    metrics: {
      observer: metricObservers(metrics).http,
      exposition: { contentType: metrics.registry.contentType, render: () => metrics.registry.metrics() },
    },
    version: 'test',
  };
  return {
    deps,
    sql,
    close: async () => {
      await sql.end();
      await database.drop();
    },
  };
}
