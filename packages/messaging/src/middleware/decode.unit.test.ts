import { describe, expect, it } from 'vitest';
import { itemCreatedV1, stockAdjustedV1 } from '@warren/contracts';
import { PermanentError } from '../errors.ts';
import type { ConsumedMessage } from '../message.ts';
import { deliveryOf, itemCreatedEvent } from '../pipeline/delivery.test-support.ts';
import { decodeAndHandle } from './decode.ts';

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
