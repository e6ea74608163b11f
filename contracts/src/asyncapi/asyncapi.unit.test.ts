import { readFile } from 'node:fs/promises';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { consumerQueues } from '../consumers.ts';
import { eventProducers } from '../producers.ts';
import { eventDefinitions } from '../registry.ts';
import { messagingServices } from '../services.ts';
import { asyncApiDocument } from './document.ts';
import { asyncApiFiles } from './files.ts';
import { topicMatches } from './topic.ts';

const parser = new Parser();

async function parse(document: unknown) {
  const { document: parsed, diagnostics } = await parser.parse(JSON.stringify(document));
  // The diagnostics and the exported enum come from two copies of @stoplight/types: compare the numbers.
  const errors = diagnostics.filter((diagnostic) => Number(diagnostic.severity) === Number(DiagnosticSeverity.Error)).map((diagnostic) => `${diagnostic.path.join('/')}: ${diagnostic.message}`);
  return { parsed, errors };
}

describe('AsyncAPI documents', () => {
  // Parsing is the slow part: each generated document is parsed once for every test here.
  const files = new Map<string, Awaited<ReturnType<typeof parse>>>();
  beforeAll(async () => {
    for (const [name, document] of Object.entries(asyncApiFiles())) files.set(name, await parse(document));
  });
  const parsedFile = (name: string) => files.get(name)?.parsed;

  it('each parse with the official parser without errors', () => {
    expect([...files.keys()].sort()).toEqual(['warren.json', ...messagingServices().map((service) => `${service}.json`)].sort());
    expect([...files.keys()]).toEqual(expect.arrayContaining(['audit.json', 'catalog.json', 'inventory.json']));
    for (const [name, { parsed, errors }] of files) {
      expect(errors, name).toEqual([]);
      expect(parsed?.version(), name).toBe('3.0.0');
    }
  });

  it('are checked by the parser against the AMQP bindings (a wrong deliveryMode is an error)', async () => {
    const document = asyncApiDocument({ service: 'catalog' });
    const operations = document.operations as Record<string, { bindings: { amqp: Record<string, unknown> } }>;
    for (const operation of Object.values(operations)) operation.bindings.amqp['deliveryMode'] = 3;
    expect((await parse(document)).errors).not.toEqual([]);
  });

  it('send exactly what eventProducers declares and receive from exactly the consumerQueues', () => {
    const parsed = parsedFile('warren.json');
    const operations = parsed?.operations().all() ?? [];
    const sends = operations.filter((operation) => operation.action() === 'send').map((operation) => operation.channels().all().map((channel) => channel.address()));
    expect(sends.flat().sort()).toEqual(eventProducers.flatMap((producer) => producer.publishes).sort());
    const receives = operations.filter((operation) => operation.action() === 'receive').map((operation) => operation.channels().all().map((channel) => channel.address()));
    expect(receives.flat().sort()).toEqual(consumerQueues.map((declared) => declared.queue).sort());
    expect(parsed?.channels().all().map((channel) => channel.address()).sort()).toEqual([...eventDefinitions.map((definition) => definition.routingKey), ...consumerQueues.map((declared) => declared.queue)].sort());
  });

  it('give each service only its own sends and receives, with the messages bound to its queues', () => {
    for (const service of ['catalog', 'inventory', 'audit'] as const) {
      const parsed = parsedFile(`${service}.json`);
      const operations = (parsed?.operations().all() ?? []).map((operation) => `${operation.action()} ${operation.channels().all()[0]?.address() ?? ''}`).sort();
      const expected = [
        ...eventProducers.filter((producer) => producer.service === service).flatMap((producer) => producer.publishes.map((key) => `send ${key}`)),
        ...consumerQueues.filter((declared) => declared.service === service).map((declared) => `receive ${declared.queue}`),
      ].sort();
      expect(operations, service).toEqual(expected);
    }
    const messages = parsedFile('audit.json')?.channels().all()[0]?.messages().all().map((message) => message.name());
    expect(messages?.sort()).toEqual(eventDefinitions.map((definition) => definition.routingKey).sort());
  });

  it('describe the AMQP side: durable topic exchange, quorum queues, persistent mandatory sends, headers and properties', () => {
    const parsed = parsedFile('inventory.json');
    const routingKey = parsed?.channels().get('stock.adjusted.v1')?.bindings().get('amqp')?.value<{ is: string; exchange: Record<string, unknown> }>();
    expect(routingKey).toMatchObject({ is: 'routingKey', exchange: { name: 'events', type: 'topic', durable: true } });
    const queue = parsed?.channels().get('inventory.item-created')?.bindings().get('amqp')?.value<{ queue: Record<string, unknown> }>();
    expect(queue?.queue).toMatchObject({ name: 'inventory.item-created', durable: true, 'x-queue-type': 'quorum' });
    const send = parsed?.operations().get('inventory.send.stock.adjusted.v1')?.bindings().get('amqp')?.value<Record<string, unknown>>();
    expect(send).toMatchObject({ deliveryMode: 2, mandatory: true });
    const message = parsed?.messages().all().find((candidate) => candidate.name() === 'item.created.v1');
    expect(message?.contentType()).toBe('application/json');
    expect(message?.bindings().get('amqp')?.value<Record<string, unknown>>()).toMatchObject({ messageType: 'item.created.v1' });
    expect(message?.correlationId()?.location()).toBe('$message.header#/correlation_id');
    expect(Object.keys(message?.headers()?.properties() ?? {}).sort()).toEqual(['causation_id', 'correlation_id', 'idempotency_key', 'source_service', 'traceparent', 'tracestate']);
    expect(message?.payload()?.required()).toEqual(['id', 'type', 'version', 'timestamp', 'source_service', 'subject', 'data']);
    expect(message?.payload()?.properties()?.['type']?.const()).toBe('item.created');
  });

  it('are checked in as generated', async () => {
    for (const [name, document] of Object.entries(asyncApiFiles())) {
      const onDisk: unknown = JSON.parse(await readFile(new URL(`../../generated/asyncapi/${name}`, import.meta.url), 'utf8'));
      expect(onDisk, `generated/asyncapi/${name} is stale: run npm run build -w contracts`).toEqual(document);
    }
  });

  it('refuse a service that takes no part in the topology', () => {
    expect(() => asyncApiDocument({ service: 'console' as 'audit' })).toThrow(/console neither publishes nor consumes/);
  });
});

describe('topicMatches', () => {
  it('matches words exactly, * one word and # any number of words', () => {
    expect(topicMatches('item.created.v1', 'item.created.v1')).toBe(true);
    expect(topicMatches('item.created.v1', 'item.created.v2')).toBe(false);
    expect(topicMatches('#', 'stock.adjusted.v1')).toBe(true);
    expect(topicMatches('item.*.v1', 'item.created.v1')).toBe(true);
    expect(topicMatches('item.*', 'item.created.v1')).toBe(false);
    expect(topicMatches('item.#', 'item.created.v1')).toBe(true);
    expect(topicMatches('item.#.v1', 'item.v1')).toBe(true);
  });
});
