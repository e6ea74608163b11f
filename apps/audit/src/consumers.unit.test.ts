import { describe, expect, it } from 'vitest';
import { consumerQueues } from '@warren/contracts';
import { bindingsOf } from '@warren/messaging';
import type { Database } from '@warren/outbox';
import { auditConsumers } from './consumers.ts';

describe('audit consumers', () => {
  it('consume exactly the queues, with exactly the bindings, that @warren/contracts declares for audit', () => {
    // Building a consumer does not touch the database: a stand-in suffices.
    const consumers = auditConsumers({ db: {} as Database });
    const running = consumers.map((consumer) => ({ queue: consumer.queue, bindings: [...bindingsOf(consumer)] }));
    const declared = consumerQueues.filter((entry) => entry.service === 'audit').map((entry) => ({ queue: entry.queue, bindings: [...entry.bindings] }));
    expect(declared).not.toEqual([]);
    expect(running).toEqual(declared);
  });
});
