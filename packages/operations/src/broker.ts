import type { Channel, GetMessage, Options } from 'amqplib';
import { connectBroker, createConfirmSender, type BrokerConnection } from '@warren/messaging';
import { createLogger } from '@warren/telemetry';
import { describeError, OperationsError } from './errors.ts';
import type { AmqpProperties, HeldMessage } from './held-message.ts';
import { redactUrl, vhostOf } from './urls.ts';

/** What a passive declare tells of a queue. */
export interface QueueCounts {
  /** Ready messages (quorum queues report it with a short lag). */
  messageCount: number;
  consumerCount: number;
}

/** Walks a queue with basic.get, holding what it takes until `remove` or `release`. */
export interface QueueBrowser {
  /** Takes the next ready message, or undefined when the queue has none left. */
  take(): Promise<HeldMessage | undefined>;
  /** Acks a held message: it leaves the queue for good. */
  remove(message: HeldMessage): void;
  /** Returns every held message not removed to the queue (nack, requeue) and closes. */
  release(): Promise<void>;
}

/**
 * One AMQP connection of an operator (the CLI's run, the console's process), opened by
 * `@warren/messaging`; publishing goes through its confirm sender. Browsing with basic.get, which
 * no service does, is the only channel work here.
 */
export interface Broker {
  readonly vhost: string;
  /** Ready messages in `queue`; throws `OperationsError` (`queue_not_found`) when the queue does not exist. */
  checkQueue(queue: string): Promise<number>;
  /** Ready messages and consumers of `queue` from one passive declare; throws `OperationsError` (`queue_not_found`) when the queue does not exist. */
  inspectQueue(queue: string): Promise<QueueCounts>;
  /** Consumers attached to `queue` (a passive declare); throws `OperationsError` (`queue_not_found`) when the queue does not exist. */
  consumerCount(queue: string): Promise<number>;
  /** Whether `queue` exists (a passive declare on a throwaway channel); throws `OperationsError` (`unavailable`) on other failures. */
  queueExists(queue: string): Promise<boolean>;
  browse(queue: string): Promise<QueueBrowser>;
  /**
   * Publishes to `queue` through the default exchange with `mandatory` on a confirm channel;
   * resolves after the broker's ack, rejects when the message is returned (`UnroutableError`)
   * or nacked (`PublishNackedError`).
   */
  publishToQueue(queue: string, content: Buffer, properties: AmqpProperties | Options.Publish): Promise<void>;
  close(): Promise<void>;
}

const propertyNames = ['messageId', 'type', 'correlationId', 'contentType', 'contentEncoding', 'deliveryMode', 'priority', 'replyTo', 'expiration', 'timestamp', 'userId', 'appId'] as const;

function held(message: GetMessage): HeldMessage {
  const source: Record<string, unknown> = { ...message.properties };
  const properties: AmqpProperties = { headers: { ...(message.properties.headers ?? {}) } };
  for (const name of propertyNames) {
    if (source[name] !== undefined && source[name] !== null) Object.assign(properties, { [name]: source[name] });
  }
  return { content: message.content, properties, exchange: message.fields.exchange, routingKey: message.fields.routingKey };
}

async function openBrowser(connection: BrokerConnection, queue: string): Promise<QueueBrowser> {
  const channel: Channel = await connection.model.createChannel();
  channel.on('error', () => {});
  const taken = new Map<HeldMessage, GetMessage>();
  return {
    async take() {
      const message = await channel.get(queue, { noAck: false });
      if (!message) return undefined;
      const view = held(message);
      taken.set(view, message);
      return view;
    },
    remove(message) {
      const raw = taken.get(message);
      if (!raw) throw new Error('remove: message is not held by this browser');
      channel.ack(raw);
      taken.delete(message);
    },
    async release() {
      try {
        for (const raw of taken.values()) channel.nack(raw, false, true);
      } catch {
        // The channel is already closed, and the broker returned its unacked messages itself.
      }
      taken.clear();
      // Closing also returns anything still unacked; acks sent before it are applied first.
      await channel.close().catch(() => undefined);
    },
  };
}

// Callers report failures themselves (the CLI on stderr, the console in its answer); the connection's log lines would only add noise.
const quiet = createLogger({ service: 'warren-operations', level: 'silent' });

export interface OpenBrokerOptions {
  /** The connection name the broker shows (`connection_name`); default `warren-operations`. */
  name?: string;
}

/**
 * Connects to `amqpUrl` without declaring anything, trying once and giving up on a loss (an
 * operator reruns a command; nothing should wait out an outage). Throws `OperationsError`
 * (`unavailable`) naming the (redacted) URL when it cannot connect.
 */
export async function openBroker(amqpUrl: string, { name = 'warren-operations' }: OpenBrokerOptions = {}): Promise<Broker> {
  const vhost = vhostOf(amqpUrl);
  let connection: BrokerConnection;
  try {
    connection = await connectBroker({ url: amqpUrl, name, logger: quiet, initialRetries: 0, reconnectRetries: 0 });
  } catch (error) {
    throw new OperationsError('unavailable', `cannot connect to RabbitMQ at ${redactUrl(amqpUrl)}: ${describeError(error)}`);
  }
  const sender = createConfirmSender(connection, quiet);

  async function declarePassively(queue: string): Promise<QueueCounts> {
    // A passive declare of a missing queue closes its channel, so it gets one of its own.
    const channel = await connection.model.createChannel();
    channel.on('error', () => {});
    try {
      const { messageCount, consumerCount } = await channel.checkQueue(queue);
      await channel.close();
      return { messageCount, consumerCount };
    } catch (error) {
      if (/NOT_FOUND|404/.test(describeError(error))) throw new OperationsError('queue_not_found', `queue ${queue} does not exist in vhost ${vhost}`);
      throw new OperationsError('unavailable', `cannot check queue ${queue} in vhost ${vhost}: ${describeError(error)}`);
    }
  }

  const checkQueue = async (queue: string) => (await declarePassively(queue)).messageCount;

  return {
    vhost,
    checkQueue,
    inspectQueue: declarePassively,
    consumerCount: async (queue) => (await declarePassively(queue)).consumerCount,
    async queueExists(queue) {
      try {
        await checkQueue(queue);
        return true;
      } catch (error) {
        if (error instanceof OperationsError && error.code === 'queue_not_found') return false;
        throw error;
      }
    },
    browse: (queue) => openBrowser(connection, queue),
    publishToQueue: (queue, content, properties) => sender.send('', queue, content, properties),
    async close() {
      await sender.close();
      await connection.close().catch(() => undefined);
    },
  };
}
