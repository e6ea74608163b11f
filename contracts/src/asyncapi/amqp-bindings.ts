// AsyncAPI AMQP bindings 0.3.0 of Warren's topology (ARCHITECTURE.md, "The fixed public contract").
// The binding objects have no field for some of what Warren fixes (quorum queues, AMQP
// properties beyond messageType); those travel in `x-` extensions, which the bindings allow.

const bindingVersion = '0.3.0';

/** The durable topic exchange every event is published to. */
export const eventsExchange = { name: 'events', type: 'topic', durable: true, autoDelete: false, vhost: '/' } as const;

/** A channel whose address is a routing key on the events exchange. */
export function routingKeyChannelBinding() {
  return { amqp: { is: 'routingKey', exchange: eventsExchange, bindingVersion } };
}

/** A consumer's queue: durable, shared, never auto-deleted, and a quorum queue. */
export function queueChannelBinding(queue: string) {
  return {
    amqp: {
      is: 'queue',
      queue: { name: queue, durable: true, exclusive: false, autoDelete: false, vhost: '/', 'x-queue-type': 'quorum' },
      bindingVersion,
    },
  };
}

/** How events are published: persistent (deliveryMode 2), mandatory (unroutable is returned, not dropped), timestamped. */
export function sendOperationBinding() {
  return { amqp: { deliveryMode: 2, mandatory: true, timestamp: true, bindingVersion } };
}

/** How events are consumed: acknowledged by the consumer once their effect is committed. */
export function receiveOperationBinding() {
  return { amqp: { ack: true, bindingVersion } };
}

/** The AMQP `type` property of an event is its routing key; the body is UTF-8 JSON. */
export function messageBinding(routingKey: string) {
  return { amqp: { messageType: routingKey, contentEncoding: 'utf-8', bindingVersion } };
}

/**
 * What every event message shares: JSON content, the headers, the correlation id and the AMQP
 * properties, which the message binding has no field for (`x-amqp-properties`).
 */
export const eventMessageTrait = {
  contentType: 'application/json',
  headers: { $ref: '#/components/schemas/eventHeaders' },
  correlationId: { $ref: '#/components/correlationIds/correlationId' },
  'x-amqp-properties': {
    messageId: 'the envelope id ($message.payload#/id)',
    type: 'the routing key, <type>.v<version>',
    correlationId: 'the correlation_id header',
    contentType: 'application/json',
    contentEncoding: 'utf-8',
    timestamp: 'the envelope timestamp, in seconds',
    deliveryMode: 2,
    appId: 'the source_service header',
  },
} as const;

/** The correlation id of every event: the `correlation_id` header. */
export const correlationId = {
  description: "The request's X-Request-Id that caused the event; also the AMQP correlationId property.",
  location: '$message.header#/correlation_id',
} as const;
