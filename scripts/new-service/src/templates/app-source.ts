import type { ServiceSpec } from '../spec.ts';

/** The manifest of `apps/<name>`: inventory's dependencies, which the lockfile already holds. */
export function appPackageJson(spec: ServiceSpec): Record<string, unknown> {
  const run = '--disable-warning=ExperimentalWarning --import @warren/service/register --import @warren/telemetry/register';
  return {
    name: `@warren/${spec.name}`,
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: {
      typecheck: 'tsc -p tsconfig.json',
      lint: 'eslint .',
      test: 'vitest run',
      start: `node ${run} src/main.ts`,
      dev: `node ${run} --watch src/main.ts`,
      'db:generate': 'drizzle-kit generate',
    },
    dependencies: {
      '@hono/node-server': '^2.1.8',
      '@hono/zod-openapi': '^1.6.3',
      '@warren/contracts': '*',
      '@warren/http': '*',
      '@warren/messaging': '*',
      '@warren/outbox': '*',
      '@warren/service': '*',
      '@warren/telemetry': '*',
      'drizzle-orm': '^0.45.4',
      hono: '^4.13.19',
      postgres: '3.4.9',
      zod: '^4.6.7',
    },
    devDependencies: {
      '@warren/testing': '*',
      'drizzle-kit': '^0.31.11',
    },
  };
}

/** The source files of `apps/<name>` (tests are in app-tests.ts; migrations are made by drizzle-kit). */
export function appSourceFiles(spec: ServiceSpec): Record<string, string> {
  const { name, pascal, camel, title, port, event, http } = spec;
  const root = `apps/${name}`;
  const consumedImports = [...new Set(spec.consumes.map((consumed) => consumed.exportName))].sort().join(', ');
  return {
    [`${root}/package.json`]: `${JSON.stringify(appPackageJson(spec), null, 2)}\n`,
    [`${root}/tsconfig.json`]: `${JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src/**/*.ts', 'test/**/*.ts', '*.config.ts'] }, null, 2)}\n`,
    [`${root}/vitest.config.ts`]: `export { default } from '../../vitest.shared.ts';\n`,
    [`${root}/drizzle.config.ts`]: `import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './src/db/migrations',
});
`,
    [`${root}/src/config.ts`]: `import { baseConfigSchema, parseConfig, type BaseConfig } from '@warren/service';

export type ${pascal}Config = BaseConfig;

/** Reads and validates the ${name} service's environment once (see .env.example). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ${pascal}Config {
  return parseConfig(baseConfigSchema('${name}', ${port}), env);
}
`,
    [`${root}/src/app.ts`]: `import type { OpenAPIHono } from '@hono/zod-openapi';
import { asyncApiDocument } from '@warren/contracts';
import { createEdge, type EdgeEnv } from '@warren/http';
import { edgeOptions, type ServiceDeps } from '@warren/service';
import { registerEntryRoutes } from './routes/entries.ts';

/** The ${name} service's HTTP edge, testable in-process with \`app.request()\`. */
export function createApp(deps: ServiceDeps & { version: string }): OpenAPIHono<EdgeEnv> {
  const app = createEdge({
    ...edgeOptions('${name}', deps),
    asyncApi: asyncApiDocument({ service: '${name}' }),
    title: 'Warren ${name}',
    description: '${title}: entries written through an Idempotency-Key publish ${event.type}.',
  });
  registerEntryRoutes(app, deps);
  return app;
}
`,
    [`${root}/src/main.ts`]: `import { fileURLToPath } from 'node:url';
import { runMain, startService } from '@warren/service';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { ${camel}Consumers } from './consumers.ts';

await runMain(async () => {
  const config = loadConfig();
  return startService({
    name: '${name}',
    config,
    produces: true,
    migrationsFolder: fileURLToPath(new URL('./db/migrations', import.meta.url)),
    createApp: (deps) => createApp({ ...deps, version: config.SERVICE_VERSION }),
    consumers: (deps) => ${camel}Consumers(deps),
  });
});
`,
    [`${root}/src/consumers.ts`]: `import { ${consumedImports} } from '@warren/contracts';
import type { ConsumerDefinition } from '@warren/messaging';
import type { Database } from '@warren/outbox';
import type { Failpoint } from '@warren/telemetry/failpoint';
import { receivedEventConsumer } from './handlers/received-event.ts';

/**
 * Every consumer the ${name} process runs. Their queues and bindings must match the ${name} entries
 * of \`consumerQueues\` in @warren/contracts (checked by consumers.unit.test.ts).
 */
export function ${camel}Consumers(deps: { db: Database; faults?: { failpoint?: Failpoint } }): ConsumerDefinition[] {
  return [
${spec.consumes.map((consumed) => `    receivedEventConsumer(deps, '${consumed.queue}', ${consumed.exportName}),`).join('\n')}
  ];
}
`,
    [`${root}/src/handlers/received-event.ts`]: `import { consumerQueue, type ConsumerQueueName, type EventDefinition } from '@warren/contracts';
import type { ConsumerDefinition } from '@warren/messaging';
import { inbox, type Database } from '@warren/outbox';
import type { Failpoint } from '@warren/telemetry/failpoint';
import { receivedEvents } from '../db/schema.ts';

/**
 * Consumes \`definition\` from \`queue\` (its bindings come from the topology declared in
 * @warren/contracts) and records each event once, through the inbox: a redelivery or a replay
 * changes nothing. Replace the insert with what the service does with the event.
 */
export function receivedEventConsumer(
  { db, faults }: { db: Database; faults?: { failpoint?: Failpoint } },
  queue: ConsumerQueueName,
  definition: EventDefinition,
): ConsumerDefinition {
  const declared = consumerQueue(queue);
  return {
    queue: declared.queue,
    events: [definition],
    bindings: declared.bindings,
    handle: inbox(db, { handler: declared.queue, ...(faults?.failpoint ? { failpoint: faults.failpoint } : {}) }, async (message, tx) => {
      const { envelope } = message;
      await tx
        .insert(receivedEvents)
        .values({ eventId: envelope.id, type: envelope.type, version: envelope.version, subject: envelope.subject, sourceService: envelope.source_service })
        .onConflictDoNothing();
    }),
  };
}
`,
    [`${root}/src/db/schema.ts`]: `import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// Only this service's own tables: outbox_messages, inbox_messages and idempotency_keys belong to
// @warren/outbox and @warren/http, which ship and apply their own migrations.

/** What \`POST /api/v1/entries\` wrote; each row's ${event.type} left through the outbox with it. */
export const entries = pgTable('entries', {
  id: uuid('id').primaryKey(),
  note: text('note').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
});

/** Every event the consumers applied, once each. */
export const receivedEvents = pgTable(
  'received_events',
  {
    eventId: uuid('event_id').primaryKey(),
    type: text('type').notNull(),
    version: integer('version').notNull(),
    subject: text('subject').notNull(),
    sourceService: text('source_service').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [index('received_events_subject_idx').on(table.subject)],
);
`,
    [`${root}/src/routes/entries.ts`]: `import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { ${http.request}, ${http.response}, ${event.exportName}, type ${http.responseType} } from '@warren/contracts';
import {
  NotFoundError,
  bearer,
  commonProblems,
  idempotency,
  problemResponses,
  requestIdHeader,
  respondIdempotently,
  writeHeaders,
  writeResponseHeaders,
  type EdgeEnv,
} from '@warren/http';
import { newEventId } from '@warren/messaging';
import type { ServiceDeps } from '@warren/service';
import { entries } from '../db/schema.ts';

const example = { id: '01938a2e-7c4b-7d1a-9f3e-2b8c4d5e6f70', note: 'First entry', createdAt: '2026-11-26T08:00:00.000Z' };
const entry = ${http.response}.openapi('${pascal}Entry', { example });
const idParams = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: example.id }) });

function toResponse(row: typeof entries.$inferSelect): ${http.responseType} {
  return { id: row.id, note: row.note, createdAt: row.createdAt.toISOString() };
}

/** \`POST /api/v1/entries\` (publishes ${event.type}), \`GET /api/v1/entries/{id}\`. */
export function registerEntryRoutes(app: OpenAPIHono<EdgeEnv>, { db, outbox, config, faults }: Pick<ServiceDeps, 'db' | 'outbox' | 'config' | 'faults'>): void {
  const create = createRoute({
    method: 'post',
    path: '/api/v1/entries',
    operationId: 'create${pascal}Entry',
    tags: ['entries'],
    summary: 'Write an entry (publishes ${event.type})',
    security: bearer('${name}:write'),
    middleware: [idempotency({ db, leaseMs: config.IDEMPOTENCY_LEASE_MS, ...(faults.failpoint ? { failpoint: faults.failpoint } : {}) })] as const,
    request: {
      headers: writeHeaders,
      body: { required: true, content: { 'application/json': { schema: ${http.request}.openapi('Create${pascal}Entry', { example: { note: example.note } }) } } },
    },
    responses: {
      201: {
        description: 'Written; also the replayed answer of a repeated Idempotency-Key',
        headers: { Location: { schema: { type: 'string' }, description: 'The new entry' }, ...writeResponseHeaders },
        content: { 'application/json': { schema: entry } },
      },
      ...problemResponses(400, 405, 413, 415, 422, ...commonProblems),
    },
  });
  app.openapi(create, async (c) => {
    const { note } = c.req.valid('json');
    return respondIdempotently(c, db, async (tx) => {
      const [row] = await tx.insert(entries).values({ id: newEventId(), note, createdAt: new Date() }).returning();
      if (!row) throw new Error('insert returned no row');
      const written = toResponse(row);
      await outbox.add(tx, {
        definition: ${event.exportName},
        subject: written.id,
        data: { entryId: written.id, note: written.note, createdAt: written.createdAt },
        cause: { correlationId: c.get('requestId'), idempotencyKey: c.get('idempotencyKey'), actor: c.get('caller') },
      });
      return { status: 201 as const, body: written, headers: { Location: \`/api/v1/entries/\${written.id}\` } };
    });
  });

  const read = createRoute({
    method: 'get',
    path: '/api/v1/entries/{id}',
    operationId: 'get${pascal}Entry',
    tags: ['entries'],
    summary: 'An entry',
    security: bearer('${name}:read'),
    request: { params: idParams, headers: requestIdHeader },
    responses: { 200: { description: 'The entry', content: { 'application/json': { schema: entry } } }, ...problemResponses(400, 404, ...commonProblems) },
  });
  app.openapi(read, async (c) => {
    const { id } = c.req.valid('param');
    const [row] = await db.select().from(entries).where(eq(entries.id, id));
    if (!row) throw new NotFoundError(\`No entry \${id}.\`);
    return c.json(toResponse(row), 200);
  });
}
`,
  };
}
