import type { ConfirmChannel, Message, Options } from 'amqplib';
import type { Logger } from '@warren/telemetry';
import { PublishNackedError, UnroutableError } from '../errors.ts';
import type { BrokerConnection } from './connection.ts';

/**
 * A confirm channel that turns every publish into a promise settled by the broker: resolved on
 * its ack, rejected when the message is returned (mandatory, no queue bound), nacked, or lost
 * with its channel. Reopens its channel on demand after a loss.
 */
export interface ConfirmSender {
  /**
   * Publishes `content` with `options` (and `mandatory`) to `exchange`; `''` is the default
   * exchange, where `routingKey` names the queue. Resolves after the broker's ack; rejects with
   * `UnroutableError` when the message was returned, `PublishNackedError` when it was nacked or
   * lost with its channel, and throws once the sender is closed. Waits while the channel's
   * buffer drains, so callers may pipeline sends without bounding memory themselves.
   */
  send(exchange: string, routingKey: string, content: Buffer, options: Options.Publish): Promise<void>;
  /** Closes the channel; sends after it throw. Idempotent. */
  close(): Promise<void>;
}

/** Which send a basic.return belongs to: the same id may go to several places at once. */
const returnKey = (exchange: string, routingKey: string, messageId: unknown) =>
  `${exchange}\u0000${routingKey}\u0000${typeof messageId === 'string' ? messageId : ''}`;

function unroutable(exchange: string, routingKey: string, id: string): UnroutableError {
  return exchange === ''
    ? new UnroutableError(`queue ${routingKey} did not take message ${id} (no such queue in the default exchange)`)
    : new UnroutableError(`no queue is bound to ${exchange} for ${routingKey} (message ${id})`);
}

/**
 * The one publish-with-confirms of Warren: used by the relay's publisher, the subscriber's
 * retries and parking, and the operator CLI's replays. Opens its confirm channel on the first
 * send; `logger` receives channel errors.
 */
export function createConfirmSender(connection: BrokerConnection, logger: Logger): ConfirmSender {
  let channel: Promise<ConfirmChannel> | undefined;
  // basic.return always precedes the basic.ack of the same message, so a returned send is known
  // by the time its confirm callback runs.
  const returned = new Map<string, number>();
  let closed = false;
  let drained: Promise<void> | undefined;

  function open(): Promise<ConfirmChannel> {
    const opening = connection.model.createConfirmChannel().then((ch) => {
      ch.on('return', (message: Message) => {
        const key = returnKey(message.fields.exchange, message.fields.routingKey, message.properties.messageId);
        returned.set(key, (returned.get(key) ?? 0) + 1);
      });
      ch.on('error', (error: Error) => logger.warn({ err: error }, 'publish channel error'));
      ch.on('close', () => {
        if (channel === opening) channel = undefined;
      });
      return ch;
    });
    opening.catch(() => {
      if (channel === opening) channel = undefined;
    });
    channel = opening;
    return opening;
  }

  function takeReturned(key: string): boolean {
    const count = returned.get(key);
    if (count === undefined) return false;
    if (count <= 1) returned.delete(key);
    else returned.set(key, count - 1);
    return true;
  }

  return {
    async send(exchange, routingKey, content, options) {
      if (closed) throw new Error('publisher is closed');
      if (drained) await drained;
      const ch = await (channel ?? open());
      const id = String(options.messageId ?? '');
      const key = returnKey(exchange, routingKey, options.messageId);
      await new Promise<void>((resolve, reject) => {
        const flowing = ch.publish(exchange, routingKey, content, { ...options, mandatory: true }, (error: unknown) => {
          if (takeReturned(key)) {
            reject(unroutable(exchange, routingKey, id));
          } else if (error) {
            reject(new PublishNackedError(`broker did not confirm message ${id} to ${routingKey}`, { cause: error }));
          } else {
            resolve();
          }
        });
        // The message is buffered either way; later sends wait for drain so memory stays bounded.
        if (!flowing && !drained) {
          drained = new Promise<void>((done) => {
            const release = () => {
              drained = undefined;
              ch.off('drain', release);
              ch.off('close', release);
              done();
            };
            ch.on('drain', release);
            ch.on('close', release);
          });
        }
      });
    },
    async close() {
      closed = true;
      const current = channel;
      channel = undefined;
      if (current) {
        const ch = await current.catch(() => undefined);
        await ch?.close().catch(() => undefined);
      }
    },
  };
}
