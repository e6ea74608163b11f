import os from 'node:os';
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

async function brokerVersions(managementUrl: string): Promise<{ rabbitmq: string; erlang: string }> {
  const base = new URL(managementUrl);
  const auth = Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64');
  base.username = '';
  base.password = '';
  const response = await fetch(new URL('/api/overview', base), { headers: { authorization: `Basic ${auth}` } });
  if (!response.ok) throw new Error(`RabbitMQ management /api/overview answered ${response.status}`);
  const overview = (await response.json()) as { rabbitmq_version?: string; erlang_version?: string };
  return { rabbitmq: overview.rabbitmq_version ?? 'unknown', erlang: overview.erlang_version ?? 'unknown' };
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

/** Describes the host, Node, and the PostgreSQL and RabbitMQ servers the run talks to. */
export async function describeMachine({ adminUrl, managementUrl }: { adminUrl: string; managementUrl: string }): Promise<MachineInfo> {
  const [pg, broker] = await Promise.all([postgresVersion(adminUrl), brokerVersions(managementUrl)]);
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
