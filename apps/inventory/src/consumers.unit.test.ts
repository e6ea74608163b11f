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
