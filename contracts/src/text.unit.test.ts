import { describe, expect, it } from 'vitest';
import { adjustStockRequest, auditEventQuery, createItemRequest, envelopeSchema, itemCreatedV1, maxInt32, pageQuery, stockAdjustedV1 } from './index.ts';

const envelope = {
  id: '01938a2e-7c4b-7d1a-9f3e-2b8c4d5e6f70',
  type: 'item.created',
  version: 1,
  timestamp: '2026-11-26T08:00:00.000Z',
  source_service: 'catalog',
  subject: '01938a2e-7c4b-7d1a-9f3e-2b8c4d5e6f70',
  data: {},
};
const item = { id: envelope.id, name: 'Lamp', sku: 'LAMP-1', priceCents: 1, createdAt: envelope.timestamp };
const adjustment = { adjustmentId: envelope.id, itemId: envelope.id, sku: 'LAMP-1', delta: 1, reason: 'received', onHand: 1, adjustedAt: envelope.timestamp };
const unstorable = ['a\u0000b', 'a\ud800b', '\udfff'];

describe('what the contract lets through can be stored', () => {
  it('bounds every integer that lands in a PostgreSQL integer column', () => {
    expect(createItemRequest.safeParse({ name: 'Lamp', sku: 'LAMP-1', priceCents: maxInt32 }).success).toBe(true);
    expect(createItemRequest.safeParse({ name: 'Lamp', sku: 'LAMP-1', priceCents: maxInt32 + 1 }).success).toBe(false);
    expect(itemCreatedV1.data.safeParse({ ...item, priceCents: maxInt32 + 1 }).success).toBe(false);
    expect(stockAdjustedV1.data.safeParse({ ...adjustment, onHand: maxInt32 + 1 }).success).toBe(false);
  });

  it('refuses NUL characters and unpaired surrogates in every text field', () => {
    for (const text of unstorable) {
      expect(createItemRequest.safeParse({ name: text, sku: 'LAMP-1', priceCents: 1 }).success).toBe(false);
      expect(adjustStockRequest.safeParse({ delta: 1, reason: text }).success).toBe(false);
      expect(itemCreatedV1.data.safeParse({ ...item, name: text }).success).toBe(false);
      expect(stockAdjustedV1.data.safeParse({ ...adjustment, reason: text }).success).toBe(false);
      expect(envelopeSchema.safeParse({ ...envelope, subject: text }).success).toBe(false);
      expect(envelopeSchema.safeParse({ ...envelope, metadata: { actor: text } }).success).toBe(false);
      expect(pageQuery.safeParse({ cursor: text }).success).toBe(false);
      for (const name of ['type', 'correlation_id', 'subject']) expect(auditEventQuery.safeParse({ [name]: text }).success).toBe(false);
    }
    // Characters outside the Basic Multilingual Plane are well-formed pairs and stay accepted.
    expect(createItemRequest.safeParse({ name: 'Lamp 💡𝔸', sku: 'LAMP-1', priceCents: 1 }).success).toBe(true);
  });

  it("accepts an actor as long as OpenID Connect's sub (255) and no longer", () => {
    expect(envelopeSchema.safeParse({ ...envelope, metadata: { actor: 'a'.repeat(255) } }).success).toBe(true);
    expect(envelopeSchema.safeParse({ ...envelope, metadata: { actor: 'a'.repeat(256) } }).success).toBe(false);
    expect(envelopeSchema.safeParse({ ...envelope, metadata: { actor: 'a\nb' } }).success).toBe(false);
  });
});
