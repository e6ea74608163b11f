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
  send(exchange: string, routingKey: string, content: Buffer, options: Options.Publish): Promise<void>;
  close(): Promise<void>;
}

export function createConfirmSender(connection: BrokerConnection, logger: Logger): ConfirmSender {
  let channel: Promise<ConfirmChannel> | undefined;
  // basic.return always precedes the basic.ack of the same message, so a returned id is known
  // by the time its confirm callback runs.
  const returned = new Map<string, number>();
  let closed = false;
  let drained: Promise<void> | undefined;

  function open(): Promise<ConfirmChannel> {
    const opening = connection.model.createConfirmChannel().then((ch) => {
      ch.on('return', (message: Message) => {
        const id = String(message.properties.messageId ?? '');
        returned.set(id, (returned.get(id) ?? 0) + 1);
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

  function takeReturned(id: string): boolean {
    const count = returned.get(id);
    if (count === undefined) return false;
    if (count <= 1) returned.delete(id);
    else returned.set(id, count - 1);
    return true;
  }

  return {
    async send(exchange, routingKey, content, options) {
      if (closed) throw new Error('publisher is closed');
      if (drained) await drained;
      const ch = await (channel ?? open());
      const id = String(options.messageId ?? '');
      await new Promise<void>((resolve, reject) => {
        const flowing = ch.publish(exchange, routingKey, content, { ...options, mandatory: true }, (error: unknown) => {
          if (takeReturned(id)) {
            reject(new UnroutableError(`no queue is bound to ${exchange} for ${routingKey} (message ${id})`));
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
