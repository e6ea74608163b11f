import { bindingsOf, type ConsumerDefinition } from './consumer.ts';
import type { TopologySpec } from './amqp/topology.ts';
import type { RetryPolicy } from './retry-policy.ts';

export interface TopologyOptions {
  exchange: string;
  /**
   * The consumers' retry policy: one delay queue per retry delay; its delivery limit (default 20)
   * is compared with an existing work queue's broker-side limit. The consumers get the same object.
   */
  retry: RetryPolicy;
}

/** The topology a service needs for its consumers (an empty list for a pure producer). */
export function topologyFor(consumers: readonly ConsumerDefinition[], { exchange, retry }: TopologyOptions): TopologySpec {
  return {
    exchange,
    queues: consumers.map((consumer) => ({
      queue: consumer.queue,
      bindings: bindingsOf(consumer),
      retryDelaysMs: retry.delaysMs,
      deliveryLimit: retry.deliveryLimit ?? 20,
    })),
  };
}
