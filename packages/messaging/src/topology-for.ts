import { bindingsOf, type ConsumerDefinition } from './consumer.ts';
import type { TopologySpec } from './amqp/topology.ts';

export interface TopologyOptions {
  exchange: string;
  /** `RETRY_DELAYS_MS`: one delay queue per entry. */
  retryDelaysMs: readonly number[];
  /**
   * `DELIVERY_LIMIT`, enforced by the consumer (`subscribe`'s `deliveryLimit`); the topology only
   * compares an existing work queue's broker-side limit with it. Default 20.
   */
  deliveryLimit?: number;
}

/** The topology a service needs for its consumers (an empty list for a pure producer). */
export function topologyFor(consumers: readonly ConsumerDefinition[], { exchange, retryDelaysMs, deliveryLimit = 20 }: TopologyOptions): TopologySpec {
  return {
    exchange,
    queues: consumers.map((consumer) => ({ queue: consumer.queue, bindings: bindingsOf(consumer), retryDelaysMs, deliveryLimit })),
  };
}
