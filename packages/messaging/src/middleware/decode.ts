import { compose, type ConsumerDefinition } from '../consumer.ts';
import { decodeDelivery } from '../decode.ts';
import type { DeliveryHandler } from '../pipeline/delivery.ts';

/**
 * The pipeline's last stage: decodes and validates the delivery against the contract (a
 * `PermanentError` when it breaks it), then runs the consumer's handler inside its own message
 * middleware (the inbox among them). Resolving means the handler's effect is committed.
 */
export function decodeAndHandle(consumer: ConsumerDefinition): DeliveryHandler {
  const handle = compose(consumer.handle, consumer.middleware);
  return async (delivery) => {
    const message = decodeDelivery(delivery.raw, consumer.events);
    const result = (await handle(message)) ?? 'applied';
    return { result, eventTimestamp: message.envelope.timestamp };
  };
}
