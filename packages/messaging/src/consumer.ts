import type { EventDefinition } from '@warren/contracts';
import type { MessageHandler, Middleware } from './message.ts';

/** One consumer: a queue, the events it accepts, a handler and the policies around it. */
export interface ConsumerDefinition {
  /** `<service>.<handler>`, e.g. `inventory.item-created`. */
  queue: string;
  /** Accepted events; anything else is parked as permanent. `all` accepts every known event. */
  events: readonly EventDefinition[] | 'all';
  /** Routing keys bound from the exchange; defaults to the accepted events' keys. */
  bindings?: readonly string[];
  handle: MessageHandler;
  /** Outermost first. */
  middleware?: readonly Middleware[];
}

/**
 * Wraps `handler` in `middleware`, the first one outermost: a consumer's message middleware
 * around its handler, and the router's delivery policies around the decode stage.
 */
export function compose<THandler>(handler: THandler, middleware: readonly ((next: THandler) => THandler)[] = []): THandler {
  return middleware.reduceRight((next, wrap) => wrap(next), handler);
}

/** The routing keys a consumer's queue is bound with. */
export function bindingsOf(consumer: ConsumerDefinition): readonly string[] {
  if (consumer.bindings) return consumer.bindings;
  if (consumer.events === 'all') return ['#'];
  return consumer.events.map((definition) => definition.routingKey);
}
