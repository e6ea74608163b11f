import { describe } from 'vitest';
import { createMemoryBroker } from './memory/broker.ts';
import { transportContract } from './transport-contract.test-support.ts';

describe('the in-memory transport', () => {
  transportContract(async (topology) => {
    const broker = createMemoryBroker();
    broker.declare(topology);
    return {
      publisher: broker.publisher(topology.exchange),
      transport: broker.transport,
      crash: async () => broker.crash(),
      take: async (queue) => broker.take(queue),
      close: async () => broker.close(),
    };
  });
});
