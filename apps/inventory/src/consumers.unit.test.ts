import { describe, expect, it } from 'vitest';
import { consumerQueues } from '@warren/contracts';
import { bindingsOf } from '@warren/messaging';
import type { Database } from '@warren/outbox';
import { inventoryConsumers } from './consumers.ts';

describe('inventory consumers', () => {
  it('consume exactly the queues, with exactly the bindings, that @warren/contracts declares for inventory', () => {
    // Building a consumer does not touch the database: a stand-in suffices.
    const consumers = inventoryConsumers({ db: {} as Database });
    const running = consumers.map((consumer) => ({ queue: consumer.queue, bindings: [...bindingsOf(consumer)] }));
    const declared = consumerQueues.filter((entry) => entry.service === 'inventory').map((entry) => ({ queue: entry.queue, bindings: [...entry.bindings] }));
    expect(declared).not.toEqual([]);
    expect(running).toEqual(declared);
  });
});

describe('inventory across the item.created versions (ITEM_CREATED_VERSIONS)', () => {
  const built = (versions?: readonly number[]) => {
    const [consumer] = inventoryConsumers({ db: {} as Database, ...(versions ? { config: { ITEM_CREATED_VERSIONS: versions } } : {}) });
    return { bindings: consumer ? [...bindingsOf(consumer)] : [], handles: consumer?.events === 'all' ? [] : consumer?.events.map((definition) => definition.routingKey) };
  };

  it('by default binds v1 and v2 and handles v2 (v1 arrives upcast)', () => {
    expect(built()).toEqual({ bindings: ['item.created.v1', 'item.created.v2'], handles: ['item.created.v2'] });
    expect(built([2, 1])).toEqual(built());
  });

  it('as a release that knows only v1, binds and handles v1 only', () => {
    expect(built([1])).toEqual({ bindings: ['item.created.v1'], handles: ['item.created.v1'] });
  });
});
