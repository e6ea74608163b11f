import { itemCreatedV1 } from '@warren/contracts';
import { createLogger } from '@warren/telemetry';
import { createEnvelope } from '../envelope.ts';
import { eventProperties } from '../event-properties.ts';
import type { OutgoingMessage } from '../message.ts';
import { toDelivery, type Delivery, type MessageProperties } from './delivery.ts';

export const silentLogger = createLogger({ service: 'pipeline-test', level: 'silent' });

export function itemCreatedEvent(subject = crypto.randomUUID()): OutgoingMessage {
  return {
    envelope: createEnvelope({
      definition: itemCreatedV1,
      sourceService: 'catalog',
      subject,
      data: { id: subject, name: 'Lamp', sku: 'LAMP-1', priceCents: 100, createdAt: new Date().toISOString() },
    }),
    routingKey: itemCreatedV1.routingKey,
    headers: { correlation_id: 'corr-1', source_service: 'catalog' },
  };
}

/** A delivery of `event` from the events exchange (or of raw `content`), as a transport hands it over. */
export function deliveryOf(
  event: OutgoingMessage,
  { queue = 'inventory.item-created', exchange = 'events', headers = {}, content }: { queue?: string; exchange?: string; headers?: Record<string, unknown>; content?: string } = {},
): Delivery {
  const properties: MessageProperties = eventProperties(event);
  return toDelivery(queue, {
    content: Buffer.from(content ?? JSON.stringify(event.envelope)),
    fields: { exchange, routingKey: event.routingKey, redelivered: false },
    properties: { ...properties, headers: { ...properties.headers, ...headers } },
  });
}
