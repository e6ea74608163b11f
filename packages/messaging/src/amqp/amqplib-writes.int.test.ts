import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import amqp from 'amqplib';
import type { Socket } from 'node:net';
import { createTestVhost, type TestVhost } from '@warren/testing';

// What patches/amqplib+2.3.1.patch changes: the frames amqplib's multiplexer takes from its
// channels in one pass go to the socket in one write, not one write (a system call) each.
describe('amqplib socket writes, as patched', () => {
  let vhost: TestVhost;
  let connection: amqp.ChannelModel;
  /** Writes handed to the operating system: one per `_write` or `_writev` of the socket. */
  let writes = 0;

  beforeAll(async () => {
    vhost = await createTestVhost('amqplib-writes');
    connection = await amqp.connect(vhost.url);
    // amqplib keeps the socket on its connection; count what the stream sends down to it.
    const socket = (connection as unknown as { connection: { stream: Socket } }).connection.stream;
    for (const method of ['_write', '_writev'] as const) {
      const original = (socket[method] as (...args: unknown[]) => unknown).bind(socket);
      socket[method] = ((...args: unknown[]) => {
        writes += 1;
        return original(...args);
      }) as never;
    }
  });
  afterAll(async () => {
    await connection.close();
    await vhost.delete();
  });

  it('sends a batch of 50 publishes on a confirm channel in one write', async () => {
    const channel = await connection.createConfirmChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    writes = 0;
    const body = Buffer.from(JSON.stringify({ padding: 'x'.repeat(300) }));
    for (let index = 0; index < 50; index += 1) channel.sendToQueue(queue, body, { persistent: true });
    await channel.waitForConfirms();
    expect(writes).toBe(1);
    expect((await channel.checkQueue(queue)).messageCount).toBe(50);
    await channel.close();
  });

  it('acks a batch of deliveries in one write', async () => {
    const channel = await connection.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    for (let index = 0; index < 20; index += 1) channel.sendToQueue(queue, Buffer.from(String(index)));
    await channel.prefetch(20);
    const received: amqp.ConsumeMessage[] = [];
    const all = Promise.withResolvers<void>();
    await channel.consume(queue, (message) => {
      if (message) received.push(message);
      if (received.length === 20) all.resolve();
    });
    await all.promise;
    writes = 0;
    for (const message of received) channel.ack(message);
    // amqplib's multiplexer sends what its channels hold on the next turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toBe(1);
    // Closing the channel would requeue any delivery it had not acked: none is left.
    await channel.close();
    const check = await connection.createChannel();
    expect((await check.checkQueue(queue)).messageCount).toBe(0);
    await check.close();
  });
});
