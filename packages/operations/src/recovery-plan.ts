import { bindingMatches, consumerQueues, eventProducers, type ConsumerQueue, type EventProducer } from '@warren/contracts';

/** One producer's share of what a consumer queue takes: the routing keys to read from its archive. */
export interface RecoverySource {
  queue: string;
  producer: string;
  routingKeys: readonly string[];
}

export interface Topology {
  queues: readonly ConsumerQueue[];
  producers: readonly EventProducer[];
}

const declared: Topology = { queues: consumerQueues, producers: eventProducers };

/** The queues `service` consumes, in declaration order (empty for a service that consumes nothing). */
export function queuesOf(service: string, { queues }: Topology = declared): ConsumerQueue[] {
  return queues.filter((queue) => queue.service === service);
}

/**
 * For every queue `service` consumes, every producer of a routing key bound to it, with those
 * keys (a `#` binding takes all a producer publishes). Producers of nothing bound are left out.
 */
export function recoverySources(service: string, topology: Topology = declared): RecoverySource[] {
  return queuesOf(service, topology).flatMap(({ queue, bindings }) =>
    topology.producers
      .map(({ service: producer, publishes }) => ({ queue, producer, routingKeys: publishes.filter((key) => bindings.some((binding) => bindingMatches(binding, key))) }))
      .filter((source) => source.routingKeys.length > 0),
  );
}
