import { afterAll, beforeAll, describe } from 'vitest';
import { createLogger } from '@warren/telemetry';
import { createTestVhost, type TestVhost } from '@warren/testing';
import { connectBroker } from './amqp/connection.ts';
import { createAmqpPublisher } from './amqp/publisher.ts';
import { amqpSubscriberTransport } from './amqp/subscriber.ts';
import { drainQueue } from './testing/index.ts';
import { transportContract } from './transport-contract.test-support.ts';

const logger = createLogger({ service: 'transport-contract', level: 'silent' });

describe('the RabbitMQ transport', () => {
  let vhost: TestVhost;
  beforeAll(async () => {
    vhost = await createTestVhost('contract');
  });
  afterAll(async () => {
    await vhost.delete();
  });

  transportContract(async (topology) => {
    const broker = await connectBroker({ url: vhost.url, name: 'transport-contract', logger, topology });
    const publisher = createAmqpPublisher(broker, { exchange: topology.exchange, logger });
    return {
      publisher,
      transport: amqpSubscriberTransport(broker),
      crash: async () => void (await vhost.admin.closeConnections(vhost.name)),
      take: async (queue) =>
        (await drainQueue(vhost.url, queue)).map((message) => ({
          content: Buffer.from(message.body),
          fields: { exchange: '', routingKey: message.routingKey, redelivered: false },
          properties: message.properties,
        })),
      async close() {
        await publisher.close();
        await broker.close();
      },
    };
  });
});
