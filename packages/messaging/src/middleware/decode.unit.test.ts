import { describe, expect, it } from 'vitest';
import { itemCreatedV1, itemCreatedV2, stockAdjustedV1, uncategorised } from '@warren/contracts';
import { PermanentError } from '../errors.ts';
import type { ConsumedMessage, OutgoingMessage } from '../message.ts';
import { deliveryOf, itemCreatedEvent } from '../pipeline/delivery.test-support.ts';
import { decodeAndHandle } from './decode.ts';

/** The item data of a test event (an `OutgoingMessage` types it as unknown). */
const dataOf = (event: OutgoingMessage) => event.envelope.data as Record<string, unknown>;

describe('decode and handle', () => {
  it('hands the handler the validated message inside its own middleware, and reports the event time', async () => {
    const seen: ConsumedMessage[] = [];
    const order: string[] = [];
    const stage = decodeAndHandle({
      queue: 'inventory.item-created',
      events: [itemCreatedV1],
      handle: async (message) => void seen.push(message),
      middleware: [(next) => async (message) => (order.push('outer'), next(message)), (next) => async (message) => (order.push('inner'), next(message))],
    });
    const event = itemCreatedEvent();
    await expect(stage(deliveryOf(event))).resolves.toEqual({ result: 'applied', eventTimestamp: event.envelope.timestamp });
    expect(order).toEqual(['outer', 'inner']);
    expect(seen[0]?.envelope).toEqual(event.envelope);
  });

  it('passes the handler’s duplicate verdict on', async () => {
    const stage = decodeAndHandle({ queue: 'q', events: 'all', handle: async () => 'duplicate' });
    await expect(stage(deliveryOf(itemCreatedEvent()))).resolves.toMatchObject({ result: 'duplicate' });
  });

  it('refuses as permanent what breaks the contract or is not this consumer’s', async () => {
    const stage = decodeAndHandle({ queue: 'q', events: [stockAdjustedV1], handle: async () => undefined });
    await expect(stage(deliveryOf(itemCreatedEvent(), { content: '{"half' }))).rejects.toMatchObject({ code: 'invalid_json' });
    await expect(stage(deliveryOf(itemCreatedEvent()))).rejects.toBeInstanceOf(PermanentError);
    await expect(stage(deliveryOf(itemCreatedEvent()))).rejects.toMatchObject({ code: 'unhandled_event' });
  });
});

describe('decode as a tolerant reader', () => {
  const newerEnvelope = () => {
    const event = itemCreatedEvent();
    return { event, body: { ...event.envelope, routed_by: 'edge-7', metadata: { via: 'batch' }, data: { ...dataOf(event), colour: 'red' } } };
  };
  const collect = (events: ConsumedMessage['envelope'][]) => async (message: ConsumedMessage) => void events.push(message.envelope);

  it('keeps envelope and data fields the contract does not name, for a consumer of every event', async () => {
    const seen: ConsumedMessage['envelope'][] = [];
    const { event, body } = newerEnvelope();
    await decodeAndHandle({ queue: 'audit.event-log', events: 'all', handle: collect(seen) })(deliveryOf(event, { content: JSON.stringify(body) }));
    expect(seen[0]).toEqual(body);
  });

  it('takes a well-formed event of a type or version never defined, data as received, when it consumes every event', async () => {
    const seen: ConsumedMessage['envelope'][] = [];
    const event = itemCreatedEvent();
    const body = { ...event.envelope, type: 'item.archived', version: 3, data: { anything: ['goes', 1] } };
    await decodeAndHandle({ queue: 'audit.event-log', events: 'all', handle: collect(seen) })(deliveryOf(event, { content: JSON.stringify(body) }));
    expect(seen[0]).toEqual(body);
  });

  it('still parks what is broken: no id, a required field missing, a wrong type, no data', async () => {
    const stage = decodeAndHandle({ queue: 'audit.event-log', events: 'all', handle: async () => undefined });
    const event = itemCreatedEvent();
    const { id: _id, ...withoutId } = event.envelope;
    const { sku: _sku, ...withoutSku } = dataOf(event);
    const { data: _data, ...withoutData } = { ...event.envelope, type: 'item.archived' };
    const cases: [unknown, string][] = [
      [withoutId, 'invalid_envelope'],
      [{ ...event.envelope, version: '1' }, 'invalid_envelope'],
      [{ ...event.envelope, data: withoutSku }, 'invalid_data'],
      [{ ...event.envelope, data: { ...dataOf(event), priceCents: 'free' } }, 'invalid_data'],
      [withoutData, 'invalid_envelope'],
    ];
    for (const [body, code] of cases) await expect(stage(deliveryOf(event, { content: JSON.stringify(body) }))).rejects.toMatchObject({ code });
  });

  it('still parks, in a consumer that names its events, a type or version it does not handle', async () => {
    const stage = decodeAndHandle({ queue: 'inventory.item-created', events: [itemCreatedV1], handle: async () => undefined });
    const event = itemCreatedEvent();
    await expect(stage(deliveryOf(event, { content: JSON.stringify({ ...event.envelope, version: 9 }) }))).rejects.toMatchObject({ code: 'unknown_event' });
    await expect(stage(deliveryOf(event, { content: JSON.stringify({ ...event.envelope, type: 'item.archived' }) }))).rejects.toMatchObject({ code: 'unhandled_event' });
    const v2 = { ...event.envelope, version: 2, data: { ...dataOf(event), category: 'lighting' } };
    await expect(stage(deliveryOf(event, { content: JSON.stringify(v2) }))).rejects.toMatchObject({ code: 'unhandled_event' });
  });
});

describe('decode with upcasting', () => {
  it('hands a v2 handler a v1 event upcast, with the version it arrived at', async () => {
    const seen: ConsumedMessage[] = [];
    const stage = decodeAndHandle({ queue: 'inventory.item-created', events: [itemCreatedV2], handle: async (message) => void seen.push(message) });
    const event = itemCreatedEvent();
    await stage(deliveryOf(event));
    expect(seen[0]?.envelope).toEqual({ ...event.envelope, version: 2, data: { ...dataOf(event), category: uncategorised } });
    expect(seen[0]?.upcastFrom).toBe(1);
    expect(itemCreatedV2.data.safeParse(seen[0]?.envelope.data).success).toBe(true);
  });

  it('hands a v2 event on as it came', async () => {
    const seen: ConsumedMessage[] = [];
    const stage = decodeAndHandle({ queue: 'inventory.item-created', events: [itemCreatedV2], handle: async (message) => void seen.push(message) });
    const event = itemCreatedEvent();
    const v2 = { ...event.envelope, version: 2, data: { ...dataOf(event), category: 'lighting' } };
    await stage(deliveryOf(event, { content: JSON.stringify(v2) }));
    expect(seen[0]?.envelope).toEqual(v2);
    expect(seen[0]).not.toHaveProperty('upcastFrom');
  });

  it('validates the old version before upcasting it', async () => {
    const stage = decodeAndHandle({ queue: 'inventory.item-created', events: [itemCreatedV2], handle: async () => undefined });
    const event = itemCreatedEvent();
    const broken = { ...event.envelope, data: { ...dataOf(event), priceCents: -5 } };
    await expect(stage(deliveryOf(event, { content: JSON.stringify(broken) }))).rejects.toMatchObject({ code: 'invalid_data', message: expect.stringContaining('item.created.v1') });
  });
});
