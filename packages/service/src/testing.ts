import { drizzle } from 'drizzle-orm/postgres-js';
import postgres, { type Sql } from 'postgres';
import { createOutbox, type Database } from '@warren/outbox';
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
    faults: {},
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

/**
 * A service's dependencies for in-process tests of routes that never reach the database (the
 * documents, `/health`): nothing connects, and any use of `db` throws saying so.
 */
export function createOfflineServiceDeps(service: string): ServiceDeps & { version: string } {
  const metrics = createMetricsRegistry({ service });
  const db = new Proxy({} as Database, {
    get: (_target, key) => {
      throw new Error(`this test has no database, yet the app used db.${String(key)}: use createServiceTestContext`);
    },
  });
  return {
    config: parseConfig(baseConfigSchema(service, 0), { DATABASE_URL: `postgres://${service}@127.0.0.1:1/${service}` }),
    logger: createLogger({ service, level: 'silent' }),
    db,
    outbox: createOutbox({ sourceService: service }),
    readiness: {},
    faults: {},
    metrics: {
      observer: metricObservers(metrics).http,
      exposition: { contentType: metrics.registry.contentType, render: () => metrics.registry.metrics() },
    },
    version: 'test',
  };
}

/** An OpenAPI operation, as far as the apps' document tests read it. */
export interface OpenApiOperation {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean }[];
  responses: Record<string, { content?: Record<string, { schema?: unknown; example?: unknown }> }>;
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
}

/** A service's OpenAPI document, as far as the apps' document tests read it. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, { example?: unknown }>; securitySchemes: Record<string, unknown> };
}

/** Fetches `GET /openapi.json` from an app in process; throws unless it answers 200. */
export async function readOpenApiDocument(app: { request(path: string): Response | Promise<Response> }): Promise<OpenApiDocument> {
  const response = await app.request('/openapi.json');
  if (response.status !== 200) throw new Error(`/openapi.json answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as OpenApiDocument;
}
