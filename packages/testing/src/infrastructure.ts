import { getContainerRuntimeClient } from 'testcontainers';
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { RabbitMQContainer } from '@testcontainers/rabbitmq';

/** Where the test run's PostgreSQL and RabbitMQ live. */
export interface TestInfrastructure {
  /** Admin URL of the PostgreSQL server (can create databases and roles). */
  databaseUrl: string;
  /** AMQP URL of the broker's default vhost, with credentials that may manage vhosts. */
  amqpUrl: string;
  /** RabbitMQ management API base URL, with credentials. */
  managementUrl: string;
  /** `containers` when testcontainers started them, `environment` when taken from env vars. */
  source: 'containers' | 'environment';
}

export interface StartedInfrastructure {
  infrastructure: TestInfrastructure;
  stop(): Promise<void>;
}

const defaults = {
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  amqpUrl: 'amqp://guest:guest@127.0.0.1:5672',
  managementUrl: 'http://guest:guest@127.0.0.1:15672',
};

async function dockerReachable(): Promise<boolean> {
  if (process.env['WARREN_TEST_NO_CONTAINERS'] === 'true') return false;
  try {
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts one PostgreSQL and one RabbitMQ for the whole test run: containers when a Docker
 * engine is reachable, otherwise the servers named by `DATABASE_URL`, `AMQP_URL` and
 * `AMQP_MANAGEMENT_URL` (defaulting to the local servers).
 */
export async function startInfrastructure(): Promise<StartedInfrastructure> {
  if (await dockerReachable()) {
    const [pg, rabbit] = await Promise.all([
      new PostgreSqlContainer('postgres:17-alpine')
        .withUsername('postgres')
        .withPassword('postgres')
        // Service roles are created without passwords, as on a trust-auth development server.
        .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
        .start(),
      new RabbitMQContainer('rabbitmq:4.1-management-alpine').start(),
    ]);
    const managementUrl = `http://guest:guest@${rabbit.getHost()}:${rabbit.getMappedPort(15672)}`;
    return {
      infrastructure: {
        databaseUrl: pg.getConnectionUri(),
        amqpUrl: rabbit.getAmqpUrl(),
        managementUrl,
        source: 'containers',
      },
      stop: async () => {
        await Promise.all([pg.stop(), rabbit.stop()]);
      },
    };
  }
  return {
    infrastructure: {
      databaseUrl: process.env['DATABASE_URL'] ?? defaults.databaseUrl,
      amqpUrl: process.env['AMQP_URL'] ?? defaults.amqpUrl,
      managementUrl: process.env['AMQP_MANAGEMENT_URL'] ?? defaults.managementUrl,
      source: 'environment',
    },
    stop: async () => {},
  };
}
