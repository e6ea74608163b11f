import { describeError, OperationsError } from './errors.ts';
import { redactUrl } from './urls.ts';

/**
 * Names of the `*.dlq` queues of `vhost`, sorted, read from the RabbitMQ management API (the
 * only thing the operations use it for, and only when a management URL is configured: AMQP cannot list
 * queues). Throws `OperationsError` (`unavailable`) when unreachable.
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
    throw new OperationsError('unavailable', `cannot list queues through the management API at ${redactUrl(managementUrl)} (${describeError(error)})`);
  }
  if (response.status === 404) throw new OperationsError('unavailable', `vhost ${vhost} does not exist`);
  if (!response.ok) {
    throw new OperationsError('unavailable', `the management API at ${redactUrl(managementUrl)} answered ${response.status} listing queues of vhost ${vhost}`);
  }
  const queues = (await response.json()) as { name: string }[];
  return queues
    .map((queue) => queue.name)
    .filter((name) => name.endsWith('.dlq'))
    .sort();
}
