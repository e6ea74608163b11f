import { getContainerRuntimeClient } from 'testcontainers';
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { RabbitMQContainer } from '@testcontainers/rabbitmq';
import type { BrokerAdminSpec } from './broker-admin/broker-admin.ts';
import { detectBrokerAdmin } from './broker-admin/detect-broker-admin.ts';

/** Where the test run's PostgreSQL and RabbitMQ live. */
export interface TestInfrastructure {
  /** Admin URL of the PostgreSQL server (can create databases and roles). */
  databaseUrl: string;
  /** AMQP URL of the broker's default vhost, with credentials that may manage vhosts. */
  amqpUrl: string;
  /** How vhosts are created and connections closed: management API or `rabbitmqctl`, chosen once per run. */
  brokerAdmin: BrokerAdminSpec;
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

/** `WARREN_TEST_BROKER_ADMIN`: `management` or `rabbitmqctl` to use only that way, else undefined (try both). */
function brokerAdminChoice(): BrokerAdminSpec['kind'] | undefined {
  const choice = process.env['WARREN_TEST_BROKER_ADMIN'] || undefined;
  if (choice === undefined || choice === 'management' || choice === 'rabbitmqctl') return choice;
  throw new Error(`WARREN_TEST_BROKER_ADMIN must be management or rabbitmqctl, got ${JSON.stringify(choice)}`);
}

/**
 * Starts one PostgreSQL and one RabbitMQ for the whole test run: containers when a Docker
 * engine is reachable, otherwise the servers named by `DATABASE_URL` and `AMQP_URL` (defaulting
 * to the local servers), administered through the management API (`AMQP_MANAGEMENT_URL`, default
 * port 15672 of the AMQP host) when it answers, else the local `rabbitmqctl`
 * (`WARREN_TEST_BROKER_ADMIN` picks one). Rejects with one line saying what to run when the broker
 * can be administered neither way.
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
        brokerAdmin: { kind: 'management', url: managementUrl },
        source: 'containers',
      },
      stop: async () => {
        await Promise.all([pg.stop(), rabbit.stop()]);
      },
    };
  }
  const amqpUrl = process.env['AMQP_URL'] || defaults.amqpUrl;
  const brokerAdmin = await detectBrokerAdmin({ amqpUrl, managementUrl: process.env['AMQP_MANAGEMENT_URL'] || undefined, only: brokerAdminChoice() });
  return {
    infrastructure: {
      databaseUrl: process.env['DATABASE_URL'] ?? defaults.databaseUrl,
      amqpUrl,
      brokerAdmin,
      source: 'environment',
    },
    stop: async () => {},
  };
}
