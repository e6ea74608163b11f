import type { Attributes } from '@opentelemetry/api';

/**
 * Current OpenTelemetry messaging attributes for RabbitMQ (semantic conventions 1.3x), set
 * beside the older names the amqplib instrumentation emits.
 */
export function publishAttributes(exchange: string, routingKey: string, properties: { messageId?: string; correlationId?: string } = {}): Attributes {
  return {
    'messaging.system': 'rabbitmq',
    'messaging.operation.name': 'publish',
    'messaging.operation.type': 'send',
    'messaging.destination.name': `${exchange || 'amq.default'}:${routingKey}`,
    'messaging.rabbitmq.destination.routing_key': routingKey,
    ...(properties.messageId ? { 'messaging.message.id': properties.messageId } : {}),
    ...(properties.correlationId ? { 'messaging.message.conversation_id': properties.correlationId } : {}),
  };
}

/** The attributes of a consumer's process span: destination is `{exchange}:{routing key}:{queue}`. */
export function processAttributes(delivery: { exchange: string; routingKey: string; queue: string; messageId?: string; correlationId?: string; redelivered: boolean }): Attributes {
  return {
    'messaging.system': 'rabbitmq',
    'messaging.operation.name': 'process',
    'messaging.operation.type': 'process',
    'messaging.destination.name': `${delivery.exchange || 'amq.default'}:${delivery.routingKey}:${delivery.queue}`,
    'messaging.destination.subscription.name': delivery.queue,
    'messaging.rabbitmq.destination.routing_key': delivery.routingKey,
    'messaging.rabbitmq.message.delivery_tag_redelivered': delivery.redelivered,
    ...(delivery.messageId ? { 'messaging.message.id': delivery.messageId } : {}),
    ...(delivery.correlationId ? { 'messaging.message.conversation_id': delivery.correlationId } : {}),
  };
}
