import { consumerQueues } from './consumers.ts';
import { eventProducers } from './producers.ts';

/** A service that takes part in the event topology: it publishes, consumes, or both. */
export type ServiceName = (typeof eventProducers)[number]['service'] | (typeof consumerQueues)[number]['service'];

/** Every service that publishes or consumes events, each once, in declaration order. */
export function messagingServices(): ServiceName[] {
  return [...new Set<ServiceName>([...eventProducers.map((producer) => producer.service), ...consumerQueues.map((declared) => declared.service)])];
}
