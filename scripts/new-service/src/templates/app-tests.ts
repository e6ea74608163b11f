import type { ServiceSpec } from '../spec.ts';

/** The tests of `apps/<name>`: unit (no I/O), int (real PostgreSQL) and the consumer pipeline on the in-memory broker. */
export function appTestFiles(spec: ServiceSpec): Record<string, string> {
  const { name, camel, event } = spec;
  const root = `apps/${name}`;
  const [first] = spec.consumes;
  if (!first) throw new Error('a service consumes at least one event');
  const sample = JSON.stringify(first.sample);
  return {
    [`${root}/src/consumers.unit.test.ts`]: `import { describe, expect, it } from 'vitest';
import { consumerQueues } from '@warren/contracts';
import { bindingsOf } from '@warren/messaging';
import type { Database } from '@warren/outbox';
import { ${camel}Consumers } from './consumers.ts';

describe('${name} consumers', () => {
  it('consume exactly the queues, with exactly the bindings, that @warren/contracts declares for ${name}', () => {
    // Building a consumer does not touch the database: a stand-in suffices.
    const consumers = ${camel}Consumers({ db: {} as Database });
    const running = consumers.map((consumer) => ({ queue: consumer.queue, bindings: [...bindingsOf(consumer)] }));
    const declared = consumerQueues.filter((entry) => entry.service === '${name}').map((entry) => ({ queue: entry.queue, bindings: [...entry.bindings] }));
    expect(declared).not.toEqual([]);
    expect(running).toEqual(declared);
  });
});
`,
    [`${root}/src/asyncapi.unit.test.ts`]: `import { describe, expect, it } from 'vitest';
import { asyncApiDocument } from '@warren/contracts';
import { createOfflineServiceDeps } from '@warren/service/testing';
import { createApp } from './app.ts';

describe('${name} GET /asyncapi.json', () => {
  it("serves ${name}'s own part of the AsyncAPI document", async () => {
    const response = await createApp(createOfflineServiceDeps('${name}')).request('/asyncapi.json');
    expect(response.status).toBe(200);
    const document = (await response.json()) as { operations: Record<string, { action: string }> };
    expect(document).toEqual(asyncApiDocument({ service: '${name}' }));
    expect(Object.keys(document.operations)).toContain('${name}.send.${event.routingKey}');
    expect(Object.keys(document.operations).every((id) => id.startsWith('${name}.'))).toBe(true);
  });
});
`,
    [`${root}/src/openapi.int.test.ts`]: `import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeCoverage } from '@warren/http';
import { createServiceTestContext, readOpenApiDocument, type OpenApiDocument, type ServiceTestContext } from '@warren/service/testing';
import { createApp } from './app.ts';

describe('${name} OpenAPI document', () => {
  let context: ServiceTestContext;
  let document: OpenApiDocument;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    context = await createServiceTestContext('${name}', fileURLToPath(new URL('./db/migrations', import.meta.url)));
    app = createApp(context.deps);
    document = await readOpenApiDocument(app);
  });
  afterAll(() => context.close());

  it('is OpenAPI 3.1 and describes exactly the routes the service serves', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(routeCoverage(app.routes, document)).toEqual({ undocumented: [], unrouted: [] });
  });

  it('documents the write with its scope, key header and problems', () => {
    const create = document.paths['/api/v1/entries']?.['post'];
    expect(create?.security).toEqual([{ bearer: ['${name}:write'] }]);
    expect(create?.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'idempotency-key', in: 'header', required: true })]));
    for (const status of ['400', '401', '403', '422']) expect(create?.responses[status]?.content?.['application/problem+json'], status).toBeDefined();
    expect(document.paths['/api/v1/entries/{id}']?.['get']?.security).toEqual([{ bearer: ['${name}:read'] }]);
  });
});
`,
    [`${root}/src/${name}.int.test.ts`]: `import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ${first.exportName} } from '@warren/contracts';
import { createEnvelope, type ConsumedMessage } from '@warren/messaging';
import { createServiceTestContext, type ServiceTestContext } from '@warren/service/testing';
import { createApp } from './app.ts';
import { ${camel}Consumers } from './consumers.ts';

const migrations = fileURLToPath(new URL('./db/migrations', import.meta.url));

function consumed(subject: string): ConsumedMessage {
  const envelope = createEnvelope({ definition: ${first.exportName}, sourceService: 'test', subject, data: ${sample} });
  return { envelope, headers: {}, correlationId: 'corr', queue: '${first.queue}', routingKey: ${first.exportName}.routingKey, redelivered: false, attempt: 1 };
}

describe('${name}', () => {
  let context: ServiceTestContext;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    context = await createServiceTestContext('${name}', migrations);
    app = createApp(context.deps);
  });
  afterAll(() => context.close());

  const write = (body: unknown, key?: string) =>
    app.request('/api/v1/entries', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'x-request-id': \`req-\${key ?? 'none'}\`, ...(key ? { 'idempotency-key': key } : {}) },
    });

  it('writes an entry and its ${event.type} event in the same transaction', async () => {
    const response = await write({ note: 'first' }, 'key-1');
    expect(response.status).toBe(201);
    const entry = (await response.json()) as { id: string; note: string };
    expect(entry.note).toBe('first');
    expect(response.headers.get('location')).toBe(\`/api/v1/entries/\${entry.id}\`);
    const [event] = await context.sql<{ routing_key: string; envelope: { subject: string; data: Record<string, unknown> }; headers: Record<string, unknown> }[]>\`
      select routing_key, envelope, headers from outbox_messages where envelope->>'subject' = \${entry.id}\`;
    expect(event?.routing_key).toBe('${event.routingKey}');
    expect(event?.envelope.data).toMatchObject({ entryId: entry.id, note: 'first' });
    expect(event?.headers).toMatchObject({ correlation_id: 'req-key-1', idempotency_key: 'key-1' });
    expect((await app.request(\`/api/v1/entries/\${entry.id}\`)).status).toBe(200);
  });

  it('replays the stored response for a repeated key, and writes nothing more', async () => {
    const first = await write({ note: 'once' }, 'key-2');
    const again = await write({ note: 'once' }, 'key-2');
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(await first.json());
    const [rows] = await context.sql<{ count: string }[]>\`select count(*) from entries where note = 'once'\`;
    expect(rows?.count).toBe('1');
  });

  it('refuses a write without an Idempotency-Key or with an empty note, and answers 404 for an unknown entry', async () => {
    expect((await write({ note: 'no key' })).status).toBe(400);
    expect((await write({ note: '' }, 'key-3')).status).toBe(400);
    expect((await app.request(\`/api/v1/entries/\${crypto.randomUUID()}\`)).status).toBe(404);
  });

  it('applies a consumed ${first.routingKey} once however often it is delivered', async () => {
    const [consumer] = ${camel}Consumers(context.deps);
    const subject = crypto.randomUUID();
    const message = consumed(subject);
    await consumer?.handle(message);
    await Promise.all([consumer?.handle(message), consumer?.handle(message)]);
    const rows = await context.sql<{ type: string }[]>\`select type from received_events where subject = \${subject}\`;
    expect(rows).toEqual([{ type: ${first.exportName}.type }]);
  });
});
`,
    [`${root}/src/flow.int.test.ts`]: `import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ${first.exportName}, ${event.exportName} } from '@warren/contracts';
import { createEnvelope, retryPolicy, runConsumer, topologyFor, type ConsumerDefinition, type Subscriber } from '@warren/messaging';
import { createMemoryBroker, type MemoryBroker } from '@warren/messaging/testing';
import { startRelay, type Relay } from '@warren/outbox';
import { createServiceTestContext, type ServiceTestContext } from '@warren/service/testing';
import { createApp } from './app.ts';
import { ${camel}Consumers } from './consumers.ts';

const migrations = fileURLToPath(new URL('./db/migrations', import.meta.url));

// The service's consumers on the real consumer pipeline (decode, inbox, retry, park) and its
// relay, with a real database and the in-memory broker: an event in, an event out.
describe('${name} with its consumers and relay on the in-memory broker', () => {
  let context: ServiceTestContext;
  let broker: MemoryBroker;
  let subscribers: Subscriber[];
  let relay: Relay;
  // Stands for a consumer of ${event.type} (audit, say): a queue bound to its routing key.
  const downstream: ConsumerDefinition = { queue: 'downstream.${event.type}', events: [${event.exportName}], handle: async () => {} };

  beforeAll(async () => {
    context = await createServiceTestContext('${name}', migrations);
    const consumers = ${camel}Consumers(context.deps);
    const retry = retryPolicy({ delaysMs: [20] });
    broker = createMemoryBroker();
    broker.declare(topologyFor([...consumers, downstream], { exchange: 'events', retry }));
    subscribers = await Promise.all(consumers.map((consumer) => runConsumer(broker.transport, consumer, { logger: context.deps.logger, retry })));
    relay = await startRelay({ client: context.sql, publisher: broker.publisher('events'), logger: context.deps.logger, pollIntervalMs: 50 });
  });
  afterAll(async () => {
    await relay.close();
    await Promise.all(subscribers.map((subscriber) => subscriber.close()));
    broker.close();
    await context.close();
  });

  it('applies ${first.routingKey} from the exchange', async () => {
    const subject = crypto.randomUUID();
    const envelope = createEnvelope({ definition: ${first.exportName}, sourceService: 'test', subject, data: ${sample} });
    await broker.publisher('events').publish([{ envelope, routingKey: ${first.exportName}.routingKey, headers: { correlation_id: 'flow', source_service: 'test' } }]);
    await vi.waitFor(async () => expect(await context.sql\`select 1 from received_events where subject = \${subject}\`).toHaveLength(1));
  });

  it('publishes ${event.routingKey} for a written entry, through the outbox and relay', async () => {
    const response = await createApp(context.deps).request('/api/v1/entries', {
      method: 'POST',
      body: JSON.stringify({ note: 'relayed' }),
      headers: { 'content-type': 'application/json', 'idempotency-key': 'flow-1' },
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    const message = await vi.waitFor(() => {
      const [taken] = broker.take(downstream.queue);
      expect(taken).toBeDefined();
      return taken;
    });
    expect(message?.fields.routingKey).toBe('${event.routingKey}');
    expect(JSON.parse(message?.content.toString('utf8') ?? '{}')).toMatchObject({ type: '${event.type}', subject: id, source_service: '${name}' });
  });
});
`,
  };
}
