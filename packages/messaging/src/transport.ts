import type { Logger } from '@warren/telemetry';
import type { DeliveryControl, DeliveryHandler } from './pipeline/delivery.ts';

/** A running consumer of one queue. */
export interface Subscriber {
  readonly queue: string;
  /** True while a consumer is attached to the queue (not paused, not between connections). */
  readonly consuming: boolean;
  /** Stops taking deliveries, waits for in-flight ones to settle, then lets go of the queue. */
  close(): Promise<void>;
}

export interface SubscribeOptions {
  /** Unsettled deliveries at once, once the queue's returned deliveries have been worked off. */
  prefetch: number;
  logger: Logger;
}

/**
 * The subscribing port: deliveries of a queue in, settlements out. `pipeline` is built once per
 * subscription with the control it may use (send copies, pause). A transport acks a delivery after
 * the pipeline resolved with any result but `requeued`, and returns it to the queue otherwise;
 * a delivery in flight when the subscriber's connection is lost is delivered again.
 * Implemented by the RabbitMQ transport (amqp/subscriber.ts) and the in-memory one (memory/).
 */
export interface SubscriberTransport {
  subscribe(queue: string, pipeline: (control: DeliveryControl) => DeliveryHandler, options: SubscribeOptions): Promise<Subscriber>;
}
