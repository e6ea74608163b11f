import amqp from 'amqplib';
import { randomBytes } from 'node:crypto';
import { infrastructure } from './provided.ts';

/** A RabbitMQ vhost made for one test file; `delete()` removes it with everything in it. */
export interface TestVhost {
  name: string;
  /** AMQP URL pointing at the new vhost. */
  url: string;
  /** Management API base URL (with credentials) of the broker. */
  managementUrl: string;
  delete(): Promise<void>;
}

async function management(baseUrl: string, method: string, path: string, body?: unknown): Promise<Response> {
  const base = new URL(baseUrl);
  const auth = Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64');
  base.username = '';
  base.password = '';
  const response = await fetch(new URL(path, base), {
    method,
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (!response.ok && response.status !== 404) {
    throw new Error(`RabbitMQ management ${method} ${path} answered ${response.status}: ${await response.text()}`);
  }
  return response;
}

/** Creates a fresh vhost with full permissions for the run's user (inside a vitest run). */
export function createTestVhost(prefix = 'test'): Promise<TestVhost> {
  return createVhost(infrastructure(), prefix);
}

/**
 * Creates a fresh vhost on the broker behind `amqpUrl`, through its management API, with full
 * permissions for the URL's user. For scripts outside vitest (the benchmark).
 */
export async function createVhost({ amqpUrl, managementUrl }: { amqpUrl: string; managementUrl: string }, prefix = 'test'): Promise<TestVhost> {
  const name = `${prefix}-${randomBytes(5).toString('hex')}`;
  const user = decodeURIComponent(new URL(amqpUrl).username || 'guest');
  await management(managementUrl, 'PUT', `/api/vhosts/${encodeURIComponent(name)}`, {});
  await management(managementUrl, 'PUT', `/api/permissions/${encodeURIComponent(name)}/${encodeURIComponent(user)}`, {
    configure: '.*',
    write: '.*',
    read: '.*',
  });
  const url = new URL(amqpUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return {
    name,
    url: url.toString(),
    managementUrl,
    delete: async () => {
      await management(managementUrl, 'DELETE', `/api/vhosts/${encodeURIComponent(name)}`);
    },
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
