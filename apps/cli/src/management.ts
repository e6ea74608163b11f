import { redactUrl } from './config.ts';
import { CliError, describeError } from './errors.ts';

/**
 * Names of the `*.dlq` queues of `vhost`, sorted, read from the RabbitMQ management API (the
 * only thing warren uses it for, and only when `AMQP_MANAGEMENT_URL` is set: AMQP cannot list
 * queues). Throws `CliError` when unreachable.
 */
export async function listDeadLetterQueues(managementUrl: string, vhost: string): Promise<string[]> {
  const base = new URL(managementUrl);
  const auth = Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64');
  base.username = '';
  base.password = '';
  const url = new URL(`${base.pathname.replace(/\/$/, '')}/api/queues/${encodeURIComponent(vhost)}?columns=name`, base);
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization: `Basic ${auth}` }, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new CliError(`cannot list queues through the management API at ${redactUrl(managementUrl)} (${describeError(error)})`);
  }
  if (response.status === 404) throw new CliError(`vhost ${vhost} does not exist`);
  if (!response.ok) {
    throw new CliError(`the management API at ${redactUrl(managementUrl)} answered ${response.status} listing queues of vhost ${vhost}`);
  }
  const queues = (await response.json()) as { name: string }[];
  return queues
    .map((queue) => queue.name)
    .filter((name) => name.endsWith('.dlq'))
    .sort();
}
