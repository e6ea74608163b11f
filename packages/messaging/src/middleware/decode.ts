import { compose, type ConsumerDefinition } from '../consumer.ts';
import { decodeDelivery } from '../decode.ts';
import type { DeliveryHandler } from '../pipeline/delivery.ts';

/**
 * The pipeline's last stage: decodes the delivery as a tolerant reader of the contract (fields it
 * does not know are kept, not refused; an older version of an event the consumer handles is
 * upcast to the handled one; a `PermanentError` when it is really broken), then runs the
 * consumer's handler inside its own message middleware (the inbox among them). Resolving means
 * the handler's effect is committed. Upcasting here, not in the transport, means redeliveries,
 * DLQ replays and archive replays of old versions are upcast the same way.
 */
export function decodeAndHandle(consumer: ConsumerDefinition): DeliveryHandler {
  const handle = compose(consumer.handle, consumer.middleware);
  return async (delivery) => {
    const message = decodeDelivery(delivery.raw, consumer.events, 'tolerant');
    const result = (await handle(message)) ?? 'applied';
    return { result, eventTimestamp: message.envelope.timestamp };
  };
}
