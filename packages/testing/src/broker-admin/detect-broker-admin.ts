import type { BrokerAdminSpec } from './broker-admin.ts';
import { managementRequest, redactManagementUrl } from './management-admin.ts';
import { runRabbitmqctl } from './rabbitmqctl-admin.ts';

export interface DetectBrokerAdminOptions {
  /** AMQP URL of the broker (its host decides whether `rabbitmqctl` may be used). */
  amqpUrl: string;
  /** Management API base URL with credentials; default `http://<AMQP user:password>@<AMQP host>:15672`. */
  managementUrl?: string | undefined;
  /** The `rabbitmqctl` executable; default `rabbitmqctl` on the PATH. */
  rabbitmqctl?: string;
  /** How long the management API may take to answer the probe; default 1 s. */
  probeTimeoutMs?: number;
  /** Try only this way (`WARREN_TEST_BROKER_ADMIN`); default: the management API, then `rabbitmqctl`. */
  only?: BrokerAdminSpec['kind'] | undefined;
}

const loopback = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function defaultManagementUrl(amqpUrl: string): string {
  const amqp = new URL(amqpUrl);
  const url = new URL(`http://${amqp.hostname}:15672`);
  url.username = amqp.username || 'guest';
  url.password = amqp.password || 'guest';
  return url.toString();
}

async function probeManagement(url: string, timeoutMs: number): Promise<string | undefined> {
  try {
    const response = await managementRequest(url, 'GET', '/api/overview', { timeoutMs });
    await response.body?.cancel();
    return response.ok ? undefined : `answered ${response.status}`;
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    return cause instanceof Error ? (cause.message.split('\n')[0] ?? cause.name) : String(cause);
  }
}

async function probeRabbitmqctl(amqpUrl: string, command: string): Promise<string | undefined> {
  const host = new URL(amqpUrl).hostname;
  if (!loopback.has(host)) return `the broker (${host}) is not on this machine`;
  try {
    await runRabbitmqctl(command, ['-q', 'list_vhosts', 'name'], 15_000);
    return undefined;
  } catch (error) {
    const { code } = (error as { cause?: { code?: unknown } }).cause ?? {};
    return code === 'ENOENT' ? `${command} is not installed` : error instanceof Error ? error.message : String(error);
  }
}

/**
 * Decides once how to create and delete vhosts and close connections on the broker behind
 * `amqpUrl`: its management API when it answers (the only way to a remote or containerized
 * broker, and milliseconds per call), else `rabbitmqctl` when the broker is on this machine and
 * the command works (stock plugins suffice; about a second per call). Rejects with one line
 * saying what to enable or set when neither works. Never mutates the broker.
 */
export async function detectBrokerAdmin({ amqpUrl, managementUrl, rabbitmqctl = 'rabbitmqctl', probeTimeoutMs = 1_000, only }: DetectBrokerAdminOptions): Promise<BrokerAdminSpec> {
  const url = managementUrl ?? defaultManagementUrl(amqpUrl);
  const problems: string[] = [];
  if (only !== 'rabbitmqctl') {
    const managementProblem = await probeManagement(url, probeTimeoutMs);
    if (managementProblem === undefined) return { kind: 'management', url };
    problems.push(`the management API at ${redactManagementUrl(url)} ${managementProblem.startsWith('answered') ? managementProblem : `is unreachable (${managementProblem})`}`);
  }
  if (only !== 'management') {
    const rabbitmqctlProblem = await probeRabbitmqctl(amqpUrl, rabbitmqctl);
    if (rabbitmqctlProblem === undefined) return { kind: 'rabbitmqctl', command: rabbitmqctl };
    problems.push(rabbitmqctlProblem);
  }
  const problem = new Error(
    `cannot administer RabbitMQ for the tests: ${problems.join(' and ')}; run \`rabbitmq-plugins enable rabbitmq_management\` on the broker, or set AMQP_MANAGEMENT_URL to its management API, or run the tests where \`${rabbitmqctl}\` can reach the local broker`,
  );
  // A set-up problem, not a bug: the one line is the whole report (the runner prints no frames).
  problem.stack = `Error: ${problem.message}`;
  throw problem;
}
