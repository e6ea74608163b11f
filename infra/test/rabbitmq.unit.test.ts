import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { interpolate, loadCompose, parseMount, readRepoFile } from './repo-files.ts';
import { apps } from './stack.ts';

interface Definitions {
  users: { name: string; password_hash: string; hashing_algorithm: string; tags: string[] }[];
  vhosts: { name: string }[];
  permissions: { user: string; vhost: string; configure: string; write: string; read: string }[];
  queues: unknown[];
  bindings: unknown[];
  exchanges: { name: string; vhost: string; type: string; durable: boolean; auto_delete: boolean; internal: boolean }[];
}

const compose = loadCompose();
const rabbitmq = compose.services['rabbitmq'];
const definitions = JSON.parse(readRepoFile('infra/rabbitmq/definitions.json')) as Definitions;

/** rabbitmq.conf as key → value (sysctl format: `key = value`, `#` comments). */
const config = new Map(
  readRepoFile('infra/rabbitmq/rabbitmq.conf')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [key = '', ...value] = line.split('=');
      return [key.trim(), value.join('=').trim()] as const;
    }),
);

/** Where compose mounts a file of infra/rabbitmq/ inside the container. */
function mountTarget(file: string): string | undefined {
  return (rabbitmq?.volumes ?? []).map(parseMount).find((mount) => mount.source === `./infra/rabbitmq/${file}`)?.target;
}

/** What each app connects with: user, password and vhost (amqplib: no path means `/`). */
function amqpTarget(app: string): { user: string; password: string; vhost: string; port: string } {
  const url = new URL(interpolate(compose.services[app]?.environment?.['AMQP_URL'] ?? ''));
  const path = url.pathname.replace(/^\//, '');
  return {
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    vhost: path === '' ? '/' : decodeURIComponent(path),
    port: url.port || '5672',
  };
}

/** rabbit_password_hashing_sha256: base64(salt ‖ sha256(salt ‖ password)), 4-byte salt. */
function passwordMatches(hash: string, password: string): boolean {
  const bytes = Buffer.from(hash, 'base64');
  const salt = bytes.subarray(0, 4);
  const digest = createHash('sha256').update(Buffer.concat([salt, Buffer.from(password, 'utf8')])).digest();
  return bytes.length === 36 && digest.equals(bytes.subarray(4));
}

describe('RabbitMQ configuration', () => {
  it('mounts the config, plugins and definitions where the broker reads them', () => {
    expect(mountTarget('rabbitmq.conf')).toBe('/etc/rabbitmq/rabbitmq.conf');
    expect(mountTarget('enabled_plugins')).toBe('/etc/rabbitmq/enabled_plugins');
    expect(config.get('load_definitions')).toBe(mountTarget('definitions.json'));
  });

  it('leaves the default queue type unset (the services declare quorum queues themselves)', () => {
    expect([...config.keys()].filter((key) => key.startsWith('default_queue_type'))).toEqual([]);
  });

  it('listens for AMQP on the port the apps use, and serves management and aggregated metrics', () => {
    for (const app of apps) expect(config.get('listeners.tcp.default')).toBe(amqpTarget(app).port);
    expect(config.get('management.tcp.port')).toBe('15672');
    expect(config.get('prometheus.return_per_object_metrics')).toBe('false');
  });

  it('sets a memory watermark below the memory the node sees', () => {
    const relative = Number(config.get('vm_memory_high_watermark.relative'));
    expect(relative).toBeGreaterThanOrEqual(0.4);
    expect(relative).toBeLessThanOrEqual(0.8);
  });

  it('enables the management and Prometheus plugins', () => {
    const term = /^\s*\[([^\]]*)\]\.\s*$/.exec(readRepoFile('infra/rabbitmq/enabled_plugins'));
    const plugins = term?.[1]?.split(',').map((plugin) => plugin.trim());
    expect(plugins?.sort()).toEqual(['rabbitmq_management', 'rabbitmq_prometheus']);
  });
});

describe('RabbitMQ definitions', () => {
  it('declare the durable events topic exchange on the vhost the apps publish to', () => {
    for (const app of apps) {
      const exchange = compose.services[app]?.environment?.['EVENTS_EXCHANGE'];
      const { vhost } = amqpTarget(app);
      expect(definitions.vhosts.map(({ name }) => name)).toContain(vhost);
      expect(definitions.exchanges.find(({ name, vhost: on }) => name === exchange && on === vhost)).toMatchObject({
        type: 'topic',
        durable: true,
        auto_delete: false,
        internal: false,
      });
    }
  });

  it('declare no queues or bindings: the services declare their own', () => {
    expect(definitions.queues).toEqual([]);
    expect(definitions.bindings).toEqual([]);
  });

  it('have no guest user', () => {
    expect(definitions.users.map(({ name }) => name)).not.toContain('guest');
  });

  it('let each app in with the password compose gives it, with full rights on its vhost only', () => {
    for (const app of apps) {
      const { user, password, vhost } = amqpTarget(app);
      const defined = definitions.users.find(({ name }) => name === user);
      expect(defined?.hashing_algorithm).toBe('rabbit_password_hashing_sha256');
      expect(passwordMatches(defined?.password_hash ?? '', password), `password of ${user}`).toBe(true);
      expect(defined?.tags).not.toContain('administrator');
      expect(definitions.permissions.filter((permission) => permission.user === user)).toEqual([
        { user, vhost, configure: '.*', write: '.*', read: '.*' },
      ]);
    }
  });
});
