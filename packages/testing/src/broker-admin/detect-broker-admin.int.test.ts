import { createServer, type Server } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { detectBrokerAdmin } from './detect-broker-admin.ts';

describe('detectBrokerAdmin', () => {
  // A port that refuses connections: listened on, then closed.
  let closedPort: number;
  beforeAll(async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closedPort = (server.address() as { port: number }).port;
    await new Promise((resolve) => server.close(resolve));
  });

  it('fails within a second, in one line naming what to enable or set, when neither way works', async () => {
    const started = performance.now();
    const detection = detectBrokerAdmin({
      amqpUrl: 'amqp://guest:guest@127.0.0.1:5672',
      managementUrl: `http://guest:secret@127.0.0.1:${closedPort}`,
      rabbitmqctl: '/nonexistent/rabbitmqctl',
    });
    const error = await detection.then(
      () => undefined,
      (reason: unknown) => reason as Error,
    );
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(error?.message).not.toContain('\n');
    expect(error?.message).not.toContain('secret');
    expect(error?.message).toContain(`management API at http://127.0.0.1:${closedPort} is unreachable`);
    expect(error?.message).toContain('/nonexistent/rabbitmqctl is not installed');
    expect(error?.message).toContain('rabbitmq-plugins enable rabbitmq_management');
    expect(error?.message).toContain('AMQP_MANAGEMENT_URL');
  });

  it('does not use rabbitmqctl for a broker on another machine', async () => {
    await expect(
      detectBrokerAdmin({ amqpUrl: 'amqp://guest:guest@broker.invalid:5672', managementUrl: `http://guest:guest@127.0.0.1:${closedPort}` }),
    ).rejects.toThrow('the broker (broker.invalid) is not on this machine');
  });

  it('tries only the way it is told to', async () => {
    const onlyRabbitmqctl = detectBrokerAdmin({ amqpUrl: 'amqp://guest:guest@127.0.0.1:5672', rabbitmqctl: '/nonexistent/rabbitmqctl', only: 'rabbitmqctl' });
    await expect(onlyRabbitmqctl).rejects.toThrow(/^cannot administer RabbitMQ for the tests: \/nonexistent\/rabbitmqctl is not installed; run/);
    const onlyManagement = detectBrokerAdmin({ amqpUrl: 'amqp://guest:guest@127.0.0.1:5672', managementUrl: `http://guest:guest@127.0.0.1:${closedPort}`, only: 'management' });
    await expect(onlyManagement).rejects.toThrow(new RegExp(`^cannot administer RabbitMQ for the tests: the management API at http://127.0.0.1:${closedPort} is unreachable \\([^)]*\\); run`));
  });
});
