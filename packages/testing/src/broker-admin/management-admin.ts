import type { BrokerAdmin } from './broker-admin.ts';

/** The management base URL without its credentials, for messages. */
export function redactManagementUrl(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.origin;
}

/**
 * Sends one request to the management API at `baseUrl` (credentials in the URL become Basic auth).
 * Resolves with the response whatever its status; rejects when the API cannot be reached in time.
 */
export async function managementRequest(baseUrl: string, method: string, path: string, { body, timeoutMs = 10_000 }: { body?: unknown; timeoutMs?: number } = {}): Promise<Response> {
  const base = new URL(baseUrl);
  const auth = Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64');
  base.username = '';
  base.password = '';
  return fetch(new URL(`${base.pathname.replace(/\/$/, '')}${path}`, base), {
    method,
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
}

/** A broker admin over the RabbitMQ management HTTP API at `url` (with credentials). */
export function managementAdmin(url: string): BrokerAdmin {
  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    const response = await managementRequest(url, method, path, { body });
    if (!response.ok && response.status !== 404) {
      throw new Error(`RabbitMQ management ${method} ${path} answered ${response.status}: ${await response.text()}`);
    }
    return response;
  }
  const vhostPath = (vhost: string) => `/api/vhosts/${encodeURIComponent(vhost)}`;

  async function listConnections(vhost: string): Promise<string[]> {
    const response = await call('GET', `${vhostPath(vhost)}/connections`);
    if (!response.ok) throw new Error(`RabbitMQ management: vhost ${vhost} does not exist`);
    return ((await response.json()) as { name: string }[]).map((connection) => connection.name);
  }

  return {
    spec: { kind: 'management', url },
    async createVhost(vhost, user) {
      await call('PUT', vhostPath(vhost), {});
      await call('PUT', `/api/permissions/${encodeURIComponent(vhost)}/${encodeURIComponent(user)}`, { configure: '.*', write: '.*', read: '.*' });
    },
    async deleteVhost(vhost) {
      await call('DELETE', vhostPath(vhost));
    },
    listConnections,
    async closeConnections(vhost) {
      const names = await listConnections(vhost);
      // A connection that closed on its own meanwhile answers 404, which `call` accepts.
      for (const name of names) await call('DELETE', `/api/connections/${encodeURIComponent(name)}`);
      return names.length;
    },
  };
}
