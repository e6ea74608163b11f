import { describe, expect, it } from 'vitest';
import { paddedEvent } from './payload.ts';

const template = {
  type: 'item.created',
  version: 2,
  routing_key: 'item.created.v2',
  envelope: { id: 'x', type: 'item.created', subject: 'old', data: { id: 'old', name: 'Lamp', sku: 'old', category: 'home', priceCents: 100, createdAt: '2026-01-01T00:00:00.000Z' } },
  headers: { correlation_id: 'c' },
};

describe('paddedEvent', () => {
  it('pads the data to the size asked for, as a new event of a new item', () => {
    const { id, envelope } = paddedEvent(template, { sku: 'run-kb10-7', dataBytes: 10_240 });
    expect(Buffer.byteLength(JSON.stringify(envelope.data))).toBe(10_240);
    expect(envelope.id).toBe(id);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(envelope.data).toMatchObject({ sku: 'run-kb10-7', name: 'Lamp', category: 'home' });
    expect(envelope['subject']).toBe(envelope.data['id']);
    expect(envelope.data['id']).not.toBe('old');
  });
});
