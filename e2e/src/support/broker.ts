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

async function management(vhost: TestVhost, method: string, path: string): Promise<Response> {
  const base = new URL(vhost.managementUrl);
  const auth = Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64');
  base.username = '';
  base.password = '';
  return fetch(new URL(path, base), { method, headers: { authorization: `Basic ${auth}` } });
}

/** Names of the AMQP connections open on the test's vhost (management API). */
export async function vhostConnections(vhost: TestVhost): Promise<string[]> {
  const response = await management(vhost, 'GET', `/api/vhosts/${encodeURIComponent(vhost.name)}/connections`);
  if (!response.ok) throw new Error(`listing connections answered ${response.status}`);
  return ((await response.json()) as { name: string }[]).map((connection) => connection.name);
}

/** Force-closes every connection of the test's vhost, as an operator would, and returns how many. */
export async function closeVhostConnections(vhost: TestVhost): Promise<number> {
  const names = await vhostConnections(vhost);
  for (const name of names) {
    const response = await management(vhost, 'DELETE', `/api/connections/${encodeURIComponent(name)}`);
    if (!response.ok && response.status !== 404) throw new Error(`closing ${name} answered ${response.status}`);
  }
  return names.length;
}
