import amqp from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestVhost, infrastructure, waitFor, type TestVhost } from '../index.ts';

// rabbitmqctl starts an Erlang VM per call: seconds each on a busy machine.
describe(`the run's broker admin (${infrastructure().brokerAdmin.kind})`, { timeout: 120_000 }, () => {
  const made: TestVhost[] = [];
  afterAll(() => Promise.all(made.map((vhost) => vhost.delete())));

  it('creates a vhost the run user can declare, publish and consume in', async () => {
    const vhost = await createTestVhost('admin');
    made.push(vhost);
    const connection = await amqp.connect(vhost.url);
    try {
      const channel = await connection.createChannel();
      await channel.assertQueue('probe');
      channel.sendToQueue('probe', Buffer.from('hello'));
      const message = await waitFor(async () => (await channel.get('probe', { noAck: true })) || undefined, { description: 'the message back' });
      expect(message.content.toString()).toBe('hello');
    } finally {
      await connection.close();
    }
  });

  it('lists the connections of a vhost and force-closes them, leaving other vhosts alone', async () => {
    const [vhost, other] = await Promise.all([createTestVhost('admin-conns'), createTestVhost('admin-other')]);
    made.push(vhost, other);
    const [first, second, bystander] = await Promise.all([amqp.connect(vhost.url), amqp.connect(vhost.url), amqp.connect(other.url)]);
    const closed = [first, second].map((connection) => new Promise<void>((resolve) => connection.once('close', () => resolve())));
    first.on('error', () => {});
    second.on('error', () => {});
    try {
      await waitFor(async () => ((await vhost.admin.listConnections(vhost.name)).length === 2 ? true : undefined), { description: 'both connections listed', intervalMs: 200, timeoutMs: 60_000 });
      expect(await vhost.admin.closeConnections(vhost.name)).toBe(2);
      await Promise.all(closed);
      expect(await vhost.admin.listConnections(vhost.name)).toEqual([]);
      expect(await other.admin.listConnections(other.name)).toHaveLength(1);
    } finally {
      await bystander.close();
    }
  });

  it('deletes a vhost with everything in it, and deleting it again is no error', async () => {
    const vhost = await createTestVhost('admin-gone');
    await vhost.delete();
    await expect(amqp.connect(vhost.url)).rejects.toThrow();
    await expect(vhost.delete()).resolves.toBeUndefined();
  });
});
