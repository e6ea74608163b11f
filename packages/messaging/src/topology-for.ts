import { bindingsOf, type ConsumerDefinition } from './consumer.ts';
import type { TopologySpec } from './amqp/topology.ts';

export interface TopologyOptions {
  exchange: string;
  retryDelaysMs: readonly number[];
  /** Broker-side cap on deliveries per message; default 20. */
  deliveryLimit?: number;
}

/** The topology a service needs for its consumers (an empty list for a pure producer). */
export function topologyFor(consumers: readonly ConsumerDefinition[], { exchange, retryDelaysMs, deliveryLimit = 20 }: TopologyOptions): TopologySpec {
  return {
    exchange,
    queues: consumers.map((consumer) => ({ queue: consumer.queue, bindings: bindingsOf(consumer), retryDelaysMs, deliveryLimit })),
  };
}
