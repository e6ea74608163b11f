import os from 'node:os';
import amqp from 'amqplib';
import postgres from 'postgres';

/** Where the run happened. */
export interface MachineInfo {
  cores: number;
  cpu: string;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string;
  rabbitmq: string;
  erlang: string;
  /** 1, 5 and 15 minute load averages when the run began: other work on the machine skews it. */
  loadAverage: number[];
}

/** RabbitMQ's and Erlang's versions as the broker announces them when an AMQP connection opens. */
export function brokerVersionsOf(serverProperties: Record<string, unknown>): { rabbitmq: string; erlang: string } {
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const platform = text(serverProperties['platform']);
  return {
    rabbitmq: text(serverProperties['version']) ?? 'unknown',
    erlang: platform?.replace(/^Erlang\/OTP\s*/, '') ?? 'unknown',
  };
}

async function brokerVersions(amqpUrl: string): Promise<{ rabbitmq: string; erlang: string }> {
  const connection = await amqp.connect(amqpUrl, { clientProperties: { connection_name: 'warren-bench-machine' } });
  try {
    return brokerVersionsOf(connection.connection.serverProperties);
  } finally {
    await connection.close();
  }
}

async function postgresVersion(adminUrl: string): Promise<string> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ server_version: string }[]>`show server_version`;
    return row?.server_version ?? 'unknown';
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Describes the host, Node, and the PostgreSQL and RabbitMQ servers the run talks to (RabbitMQ's versions over AMQP). */
export async function describeMachine({ adminUrl, amqpUrl }: { adminUrl: string; amqpUrl: string }): Promise<MachineInfo> {
  const [pg, broker] = await Promise.all([postgresVersion(adminUrl), brokerVersions(amqpUrl)]);
  return {
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres: pg,
    rabbitmq: broker.rabbitmq,
    erlang: broker.erlang,
    loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
  };
}
