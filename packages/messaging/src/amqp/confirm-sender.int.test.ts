import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@warren/telemetry';
import { createTestVhost, type TestVhost } from '@warren/testing';
import { UnroutableError } from '../errors.ts';
import { drainQueue } from '../testing/index.ts';
import { connectBroker, type BrokerConnection } from './connection.ts';
import { createConfirmSender } from './confirm-sender.ts';

const logger = createLogger({ service: 'messaging-test', level: 'silent' });
const queue = 'inventory.item-created';

describe('the confirm sender on the default exchange', () => {
  let vhost: TestVhost;
  let broker: BrokerConnection;

  beforeAll(async () => {
    vhost = await createTestVhost('confirm-sender');
    broker = await connectBroker({ url: vhost.url, name: 'test', logger, initialRetries: 0 });
    const channel = await broker.model.createChannel();
    await channel.assertQueue(queue, { durable: true });
    await channel.close();
  });
  afterAll(async () => {
    await broker.close();
    await vhost.delete();
  });

  it('declares nothing when connected without a topology', async () => {
    const channel = await broker.model.createChannel();
    channel.on('error', () => {});
    await expect(channel.checkExchange('events')).rejects.toThrow(/NOT_FOUND/);
  });

  it('delivers to the queue its routing key names, with the id and headers it was given', async () => {
    const sender = createConfirmSender(broker, logger);
    const id = crypto.randomUUID();
    await sender.send('', queue, Buffer.from('{"n":1}'), { messageId: id, headers: { 'x-warren-replay-count': 1 }, persistent: true });
    await sender.close();
    const [got, ...others] = await drainQueue(vhost.url, queue);
    expect(others).toEqual([]);
    expect(got).toMatchObject({ body: '{"n":1}', routingKey: queue, properties: { messageId: id, deliveryMode: 2 } });
    expect(got?.headers).toMatchObject({ 'x-warren-replay-count': 1 });
  });

  it('fails only the send that was returned when one id goes to a queue and to a missing one at once', async () => {
    const sender = createConfirmSender(broker, logger);
    const id = crypto.randomUUID();
    const [taken, lost] = await Promise.allSettled([
      sender.send('', queue, Buffer.from('{}'), { messageId: id }),
      sender.send('', 'nobody.here', Buffer.from('{}'), { messageId: id }),
    ]);
    await sender.close();
    expect(taken.status).toBe('fulfilled');
    expect(lost.status === 'rejected' && lost.reason).toBeInstanceOf(UnroutableError);
    expect(lost.status === 'rejected' && (lost.reason as Error).message).toBe(`queue nobody.here did not take message ${id} (no such queue in the default exchange)`);
    expect((await drainQueue(vhost.url, queue)).map((m) => m.properties.messageId as string)).toEqual([id]);
  });

  it('refuses to send once closed', async () => {
    const sender = createConfirmSender(broker, logger);
    await sender.close();
    await expect(sender.send('', queue, Buffer.from('{}'), { messageId: 'late' })).rejects.toThrow('publisher is closed');
  });
});
