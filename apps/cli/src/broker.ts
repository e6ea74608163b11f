import amqp from 'amqplib';
import type { Channel, ChannelModel, ConfirmChannel, GetMessage, Message, Options } from 'amqplib';
import { redactUrl, vhostOf } from './config.ts';
import { CliError, describeError } from './errors.ts';
import type { AmqpProperties, HeldMessage } from './held-message.ts';

/** Walks a queue with basic.get, holding what it takes until `remove` or `release`. */
export interface QueueBrowser {
  /** Takes the next ready message, or undefined when the queue has none left. */
  take(): Promise<HeldMessage | undefined>;
  /** Acks a held message: it leaves the queue for good. */
  remove(message: HeldMessage): void;
  /** Returns every held message not removed to the queue (nack, requeue) and closes. */
  release(): Promise<void>;
}

/** One AMQP connection of a warren run. amqplib stays inside this file. */
export interface Broker {
  readonly vhost: string;
  /** Ready messages in `queue`; throws `CliError` when the queue does not exist. */
  checkQueue(queue: string): Promise<number>;
  /** Whether `queue` exists (a passive declare on a throwaway channel); throws `CliError` on other failures. */
  queueExists(queue: string): Promise<boolean>;
  browse(queue: string): Promise<QueueBrowser>;
  /**
   * Publishes to `queue` through the default exchange with `mandatory` on a confirm channel;
   * resolves after the broker's ack, rejects when the message is returned or nacked.
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

async function openBrowser(connection: ChannelModel, queue: string): Promise<QueueBrowser> {
  const channel: Channel = await connection.createChannel();
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

/** Connects to `amqpUrl`; throws `CliError` naming the (redacted) URL when it cannot. */
export async function openBroker(amqpUrl: string): Promise<Broker> {
  const vhost = vhostOf(amqpUrl);
  let connection: ChannelModel;
  try {
    connection = await amqp.connect(amqpUrl, { clientProperties: { connection_name: 'warren-cli' } });
  } catch (error) {
    throw new CliError(`cannot connect to RabbitMQ at ${redactUrl(amqpUrl)}: ${describeError(error)}`);
  }
  connection.on('error', () => {});
  let confirm: Promise<ConfirmChannel> | undefined;
  const returned = new Map<string, number>();
  const returnKey = (messageId: unknown, queue: string) => `${typeof messageId === 'string' ? messageId : ''}\u0000${queue}`;

  function confirmChannel(): Promise<ConfirmChannel> {
    confirm ??= connection.createConfirmChannel().then((channel) => {
      channel.on('error', () => {});
      // basic.return always precedes the basic.ack of the same message.
      channel.on('return', (message: Message) => {
        const key = returnKey(message.properties.messageId, message.fields.routingKey);
        returned.set(key, (returned.get(key) ?? 0) + 1);
      });
      return channel;
    });
    return confirm;
  }

  function takeReturned(key: string): boolean {
    const count = returned.get(key);
    if (count === undefined) return false;
    if (count <= 1) returned.delete(key);
    else returned.set(key, count - 1);
    return true;
  }

  async function checkQueue(queue: string): Promise<number> {
    // A passive declare of a missing queue closes its channel, so it gets one of its own.
    const channel = await connection.createChannel();
    channel.on('error', () => {});
    try {
      const { messageCount } = await channel.checkQueue(queue);
      await channel.close();
      return messageCount;
    } catch (error) {
      if (/NOT_FOUND|404/.test(describeError(error))) throw new CliError(`queue ${queue} does not exist in vhost ${vhost}`);
      throw new CliError(`cannot check queue ${queue} in vhost ${vhost}: ${describeError(error)}`);
    }
  }

  return {
    vhost,
    checkQueue,
    async queueExists(queue) {
      try {
        await checkQueue(queue);
        return true;
      } catch (error) {
        if (error instanceof CliError && error.message.startsWith(`queue ${queue} does not exist`)) return false;
        throw error;
      }
    },
    browse: (queue) => openBrowser(connection, queue),
    async publishToQueue(queue, content, properties) {
      const channel = await confirmChannel();
      const key = returnKey(properties.messageId, queue);
      // Callers bound how many publishes are in flight, so amqplib's buffer stays small.
      await new Promise<void>((resolve, reject) => {
        channel.publish('', queue, content, { ...properties, mandatory: true }, (error: unknown) => {
          if (takeReturned(key)) reject(new Error(`queue ${queue} did not take message ${String(properties.messageId)} (returned as unroutable)`));
          else if (error) reject(new Error(`broker did not confirm message ${String(properties.messageId)} to ${queue}`, { cause: error }));
          else resolve();
        });
      });
    },
    async close() {
      await connection.close().catch(() => undefined);
    },
  };
}
