import { itemCreatedV1 } from '@warren/contracts';
import { createEnvelope, eventProperties, type OutgoingMessage } from '@warren/messaging';
import { publishRaw } from '@warren/messaging/testing';
import type { TestVhost } from '@warren/testing';

/** A valid item.created event as the catalog would publish it, made by the test. */
export function itemCreatedEvent(label: string): OutgoingMessage {
  const subject = crypto.randomUUID();
  const envelope = createEnvelope({
    definition: itemCreatedV1,
    sourceService: 'catalog',
    subject,
    data: { id: subject, name: `Made by ${label}`, sku: `T-${subject.slice(0, 8)}`, priceCents: 100, createdAt: new Date().toISOString() },
  });
  return { envelope, routingKey: itemCreatedV1.routingKey, headers: { correlation_id: label, source_service: 'catalog', idempotency_key: label } };
}

/** Publishes an event to the `events` exchange with the properties the relay uses (confirmed). */
export function publishEvent(vhost: TestVhost, message: OutgoingMessage): Promise<void> {
  return publishRaw(vhost.url, 'events', message.routingKey, JSON.stringify(message.envelope), eventProperties(message));
}

/** Names of the AMQP connections open on the test's vhost (through the run's broker admin). */
export function vhostConnections(vhost: TestVhost): Promise<string[]> {
  return vhost.admin.listConnections(vhost.name);
}

/** Force-closes every connection of the test's vhost, as an operator would, and returns how many. */
export function closeVhostConnections(vhost: TestVhost): Promise<number> {
  return vhost.admin.closeConnections(vhost.name);
}
