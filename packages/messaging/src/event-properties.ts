import type { OutgoingMessage } from './message.ts';
import type { MessageProperties } from './pipeline/delivery.ts';

/** The AMQP properties of an event (ARCHITECTURE.md, "AMQP properties"). */
export function eventProperties(message: OutgoingMessage): MessageProperties & { persistent: true } {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(message.headers)) {
    if (typeof value === 'string' && value !== '') headers[key] = value;
  }
  return {
    messageId: message.envelope.id,
    type: message.routingKey,
    correlationId: message.headers.correlation_id,
    contentType: 'application/json',
    contentEncoding: 'utf-8',
    timestamp: Math.floor(Date.parse(message.envelope.timestamp) / 1000),
    persistent: true,
    appId: message.envelope.source_service,
    headers,
  };
}

