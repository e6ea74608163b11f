import amqp from 'amqplib';
import { randomBytes } from 'node:crypto';
import { brokerAdminFrom, type BrokerAdmin } from './broker-admin/broker-admin.ts';
import { detectBrokerAdmin } from './broker-admin/detect-broker-admin.ts';
import { infrastructure } from './provided.ts';

/** A RabbitMQ vhost made for one test file; `delete()` removes it with everything in it. */
export interface TestVhost {
  name: string;
  /** AMQP URL pointing at the new vhost. */
  url: string;
  /** How the vhost was made: also lists and force-closes its connections. */
  admin: BrokerAdmin;
  /** Management API base URL (with credentials) when the run administers the broker through it. */
  managementUrl?: string | undefined;
  delete(): Promise<void>;
}

/** Where `createVhost` makes its vhost. */
export interface VhostTarget {
  /** AMQP URL of the broker, with credentials that may manage vhosts. */
  amqpUrl: string;
  /** How to administer the broker; detected with `detectBrokerAdmin` when absent. */
  admin?: BrokerAdmin | undefined;
  /** Management API base URL for that detection (see `detectBrokerAdmin`). */
  managementUrl?: string | undefined;
}

/** Creates a fresh vhost with full permissions for the run's user (inside a vitest run). */
export function createTestVhost(prefix = 'test'): Promise<TestVhost> {
  const { amqpUrl, brokerAdmin } = infrastructure();
  return createVhost({ amqpUrl, admin: brokerAdminFrom(brokerAdmin) }, prefix);
}

/**
 * Creates a fresh vhost on the broker behind `amqpUrl` with full permissions for the URL's user,
 * through `admin` (detected first when not given: the management API, else the local
 * `rabbitmqctl`). For scripts outside vitest (the benchmark, the collections runner).
 */
export async function createVhost({ amqpUrl, admin, managementUrl }: VhostTarget, prefix = 'test'): Promise<TestVhost> {
  const broker = admin ?? brokerAdminFrom(await detectBrokerAdmin({ amqpUrl, managementUrl }));
  const name = `${prefix}-${randomBytes(5).toString('hex')}`;
  const user = decodeURIComponent(new URL(amqpUrl).username || 'guest');
  await broker.createVhost(name, user);
  const url = new URL(amqpUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return {
    name,
    url: url.toString(),
    admin: broker,
    managementUrl: broker.spec.kind === 'management' ? broker.spec.url : undefined,
    delete: () => broker.deleteVhost(name),
  };
}

/**
 * Counts the ready messages of a queue with a passive declare over AMQP (exact at the time of the
 * call; the management API's figures lag by seconds).
 */
export async function queueMessageCount(vhost: TestVhost, queue: string): Promise<number> {
  const connection = await amqp.connect(vhost.url);
  try {
    const channel = await connection.createChannel();
    const { messageCount } = await channel.checkQueue(queue);
    return messageCount;
  } finally {
    await connection.close();
  }
}

/** A message ready in a queue, as `peekQueue` saw it. */
export interface PeekedMessage {
  messageId: string | undefined;
  headers: Record<string, unknown>;
}

/**
 * The messages ready in `queue`, in order: taken with basic.get and all returned when the channel
 * closes, so the queue is left as it was. Exact at the time of the call, unlike a passive declare's
 * count, which quorum queues report with a lag. Each return counts as a delivery: use it on queues
 * whose delivery limit is out of reach (the `.dlq` queues).
 */
export async function peekQueue(vhost: TestVhost, queue: string): Promise<PeekedMessage[]> {
  const connection = await amqp.connect(vhost.url);
  try {
    const channel = await connection.createChannel();
    const messages: PeekedMessage[] = [];
    for (let message = await channel.get(queue); message; message = await channel.get(queue)) {
      messages.push({ messageId: message.properties.messageId as string | undefined, headers: message.properties.headers ?? {} });
    }
    return messages;
  } finally {
    await connection.close();
  }
}
