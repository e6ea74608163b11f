import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { consumerQueue, consumerQueues, deadLetterQueueOf, envelopeSchema, eventDefinitions, findEventDefinition, itemCreatedV1, itemCreatedV2, jsonSchemas, latestEventDefinition, routingKeyOf } from './index.ts';

describe('event contracts', () => {
  it('derives routing keys as <type>.v<version>', () => {
    expect(itemCreatedV1.routingKey).toBe('item.created.v1');
    expect(routingKeyOf('stock.adjusted', 2)).toBe('stock.adjusted.v2');
  });

  it('finds definitions by type and version and nothing else', () => {
    expect(findEventDefinition('item.created', 1)).toBe(itemCreatedV1);
    expect(findEventDefinition('item.created', 2)).toBe(itemCreatedV2);
    expect(findEventDefinition('item.created', 3)).toBeUndefined();
    expect(latestEventDefinition('item.created')).toBe(itemCreatedV2);
    expect(latestEventDefinition('item.deleted')).toBeUndefined();
    expect(findEventDefinition('item.deleted', 1)).toBeUndefined();
  });

  it('defines each type and version once', () => {
    const keys = eventDefinitions.map((definition) => definition.routingKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('accepts a well-formed envelope and rejects one with extra or missing fields', () => {
    const envelope = {
      id: '01938a2e-7c4b-7d1a-9f3e-2b8c4d5e6f70',
      type: 'item.created',
      version: 1,
      timestamp: '2026-11-26T08:00:00.000Z',
      source_service: 'catalog',
      subject: '01938a2e-7c4b-7d1a-9f3e-2b8c4d5e6f71',
      data: {},
    };
    expect(envelopeSchema.safeParse(envelope).success).toBe(true);
    expect(envelopeSchema.safeParse({ ...envelope, extra: 1 }).success).toBe(false);
    const { subject: _subject, ...withoutSubject } = envelope;
    expect(envelopeSchema.safeParse(withoutSubject).success).toBe(false);
    expect(envelopeSchema.safeParse({ ...envelope, id: 'not-a-uuid' }).success).toBe(false);
  });

  it('rejects item.created data that breaks the schema', () => {
    const data = { id: '01938a2e-7c4b-7d1a-9f3e-2b8c4d5e6f71', name: 'Lamp', sku: 'LAMP-1', priceCents: 1999, createdAt: '2026-11-26T08:00:00.000Z' };
    expect(itemCreatedV1.data.safeParse(data).success).toBe(true);
    expect(itemCreatedV1.data.safeParse({ ...data, priceCents: -1 }).success).toBe(false);
    expect(itemCreatedV1.data.safeParse({ ...data, priceCents: 1.5 }).success).toBe(false);
  });

  it('keeps the checked-in JSON Schema documents in step with the definitions', async () => {
    for (const [name, document] of Object.entries(jsonSchemas())) {
      const onDisk: unknown = JSON.parse(await readFile(new URL(`../generated/json-schema/${name}`, import.meta.url), 'utf8'));
      expect(onDisk, `${name} is stale: run npm run build -w contracts`).toEqual(document);
    }
  });
});

describe('consumer queues', () => {
  it('names each queue <service>.<handler> once, bound to known routing keys or #', () => {
    const names = consumerQueues.map((declared) => declared.queue);
    expect(new Set(names).size).toBe(names.length);
    const keys = new Set<string>([...eventDefinitions.map((definition) => definition.routingKey), '#']);
    for (const declared of consumerQueues) {
      expect(declared.queue.startsWith(`${declared.service}.`)).toBe(true);
      for (const binding of declared.bindings) expect(keys.has(binding), `${declared.queue} binds ${binding}`).toBe(true);
    }
  });

  it('finds a declaration by queue name and derives its dead-letter queue', () => {
    expect(consumerQueue('inventory.item-created').bindings).toEqual(['item.created.v1', 'item.created.v2']);
    expect(deadLetterQueueOf('audit.event-log')).toBe('audit.event-log.dlq');
  });
});
