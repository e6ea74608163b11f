import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interpolate, loadCompose, parseMount, readRepoFile, repoFileExists, repoPath, serviceNetworks, type ComposeService } from './repo-files.ts';
import { appPorts, apps } from './stack.ts';

const compose = loadCompose();

function service(name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

/** An environment variable of a service, with compose's defaults applied (nothing set). */
function env(serviceName: string, variable: string): string {
  const value = service(serviceName).environment?.[variable];
  if (value === undefined) throw new Error(`${serviceName} sets no ${variable}`);
  return interpolate(String(value));
}

function healthcheckCommand(serviceName: string): string[] {
  const test = service(serviceName).healthcheck?.test;
  if (!Array.isArray(test)) throw new Error(`${serviceName} has no exec-form healthcheck`);
  return test;
}

describe('docker-compose.yml', () => {
  it('is a Compose-spec file (no version key) with the infrastructure and every app', () => {
    expect(compose).not.toHaveProperty('version');
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'rabbitmq', ...apps]));
  });

  it('builds from a context and Dockerfile that exist in the repository', () => {
    const built = Object.entries(compose.services).filter(([, definition]) => definition.build);
    expect(built.map(([name]) => name).sort()).toEqual([...apps].sort());
    for (const [name, definition] of built) {
      const context = definition.build?.context ?? '';
      expect(statSync(repoPath(context)).isDirectory(), `${name} build.context ${context}`).toBe(true);
      const dockerfile = join(context, definition.build?.dockerfile ?? 'Dockerfile');
      expect(repoFileExists(dockerfile), `${name} dockerfile ${dockerfile}`).toBe(true);
      expect(definition.build?.args?.['SERVICE'], `${name} SERVICE build arg`).toBe(name);
    }
  });

  it('bind-mounts only repository paths that exist, and uses only declared named volumes', () => {
    const declared = Object.keys(compose.volumes ?? {});
    for (const [name, definition] of Object.entries(compose.services)) {
      for (const mount of (definition.volumes ?? []).map(parseMount)) {
        if (mount.kind === 'repo') expect(repoFileExists(mount.source), `${name} mounts ${mount.source}`).toBe(true);
        else if (mount.kind === 'volume') expect(declared, `${name} uses volume ${mount.source}`).toContain(mount.source);
      }
    }
  });

  it('bind-mounts no host path but the Docker socket, read-only, into the log shipper', () => {
    const hostMounts = Object.entries(compose.services).flatMap(([name, definition]) =>
      (definition.volumes ?? []).map(parseMount).filter((mount) => mount.kind === 'host').map((mount) => ({ name, ...mount })),
    );
    expect(hostMounts).toEqual([
      { name: 'alloy', source: '/var/run/docker.sock', target: '/var/run/docker.sock', bind: true, kind: 'host', readOnly: true },
    ]);
  });

  it('keeps the postgres data in a named volume', () => {
    const data = (service('postgres').volumes ?? []).map(parseMount).find((mount) => mount.target === '/var/lib/postgresql/data');
    expect(data?.bind).toBe(false);
  });

  it('depends only on defined services, waiting for health only where there is a healthcheck', () => {
    for (const [name, definition] of Object.entries(compose.services)) {
      for (const [dependency, { condition }] of Object.entries(definition.depends_on ?? {})) {
        expect(Object.keys(compose.services), `${name} depends on ${dependency}`).toContain(dependency);
        expect(['service_healthy', 'service_started', 'service_completed_successfully'], `${name} -> ${dependency}`).toContain(condition);
        if (condition === 'service_healthy') expect(service(dependency).healthcheck, `${dependency} healthcheck`).toBeDefined();
        // Waiting for an exit only makes sense for a one-shot job, which a restart policy would loop.
        if (condition === 'service_completed_successfully') expect(service(dependency).restart, `${dependency} restart`).toBe('no');
      }
    }
  });

  it('starts no service of a profile from one that always runs: `up` without the profile still works', () => {
    const profiled = new Set(Object.entries(compose.services).flatMap(([name, definition]) => (definition.profiles?.length ? [name] : [])));
    for (const [name, definition] of Object.entries(compose.services)) {
      if (definition.profiles?.length) continue;
      for (const dependency of Object.keys(definition.depends_on ?? {})) expect(profiled.has(dependency), `${name} depends on ${dependency}`).toBe(false);
    }
  });

  it.each(apps)('starts %s once postgres and rabbitmq are healthy, and on nothing else', (app) => {
    expect(service(app).depends_on).toEqual({ postgres: { condition: 'service_healthy' }, rabbitmq: { condition: 'service_healthy' } });
  });

  it('pins the postgres 17 and rabbitmq 4.1 images to a patch release', () => {
    expect(service('postgres').image).toMatch(/^postgres:17\.\d+$/);
    expect(service('rabbitmq').image).toMatch(/^rabbitmq:4\.1\.\d+-management$/);
  });

  it('reports postgres healthy over TCP only, after the init scripts have run', () => {
    // The image runs /docker-entrypoint-initdb.d against a server listening on the socket only.
    const command = healthcheckCommand('postgres');
    expect(command.slice(0, 2)).toEqual(['CMD', 'pg_isready']);
    expect(command[command.indexOf('-h') + 1]).toBe('127.0.0.1');
  });

  it('checks rabbitmq with rabbitmq-diagnostics ping', () => {
    expect(healthcheckCommand('rabbitmq')).toEqual(['CMD', 'rabbitmq-diagnostics', '-q', 'ping']);
  });

  it('mounts the executable init script that provisions every app database', () => {
    const init = (service('postgres').volumes ?? []).map(parseMount).find((mount) => mount.target === '/docker-entrypoint-initdb.d');
    expect(init?.bind).toBe(true);
    const script = join(init?.source ?? '', '01-warren-roles.sh');
    // Without the executable bit the image sources the script into its own shell instead.
    expect(() => accessSync(repoPath(script), constants.X_OK)).not.toThrow();
    const defaults = /\$\{WARREN_SERVICES:-([^}]*)\}/.exec(readRepoFile(script))?.[1]?.split(/\s+/);
    expect(defaults?.sort()).toEqual([...apps].sort());
  });

  it.each(apps)('listens with %s on its contract port, published on no host port: reachable through the proxy only', (app) => {
    const port = appPorts[app];
    expect(service(app).ports ?? []).toEqual([]);
    expect(Number(env(app, 'PORT'))).toBe(port);
    expect(Number(service(app).build?.args?.['PORT'])).toBe(port);
  });

  it.each(apps)('keeps %s on the internal network alone, with no route out and no way to publish', (app) => {
    expect(serviceNetworks(service(app))).toEqual(['apps']);
    expect(compose.networks?.['apps']?.internal).toBe(true);
    expect(service(app).network_mode).toBeUndefined();
  });

  it.each(apps)('shares a network with every service %s names in its environment', (app) => {
    const own = serviceNetworks(service(app));
    const urls = Object.values(service(app).environment ?? {}).flatMap((value) => interpolate(String(value)).split(','));
    const hosts = urls.filter((url) => /^[a-z]+:\/\//.test(url)).map((url) => new URL(url).hostname);
    const peers = hosts.filter((host) => host in compose.services);
    // postgres, rabbitmq, otel-collector, authentik-server at least.
    expect(new Set(peers).size).toBeGreaterThanOrEqual(4);
    for (const peer of peers) expect(serviceNetworks(service(peer)).some((network) => own.includes(network)), `${app} -> ${peer}`).toBe(true);
  });

  it('publishes no port of a service on the internal network alone (Docker would not route it)', () => {
    for (const [name, definition] of Object.entries(compose.services)) {
      const networks = serviceNetworks(definition);
      const external = networks.filter((network) => compose.networks?.[network]?.internal !== true);
      if ((definition.ports ?? []).length > 0) expect(external, `${name} publishes ports`).not.toEqual([]);
    }
  });

  it.each(apps)('connects %s to its own database as its runtime role, and migrates as the owner', (app) => {
    const runtime = new URL(env(app, 'DATABASE_URL'));
    const migration = new URL(env(app, 'MIGRATION_DATABASE_URL'));
    // As the init script names the variables: gift-cards → GIFT_CARDS_PASSWORD.
    const prefix = app.toUpperCase().replace(/[^A-Z0-9]/g, '_');
    for (const [url, role, passwordVariable] of [
      [runtime, app, `${prefix}_PASSWORD`],
      [migration, `${app}_owner`, `${prefix}_OWNER_PASSWORD`],
    ] as const) {
      expect(url.protocol).toBe('postgres:');
      expect(url.hostname).toBe('postgres');
      expect(url.port).toBe('5432');
      expect(url.pathname).toBe(`/${app}`);
      expect(url.username).toBe(role);
      // The password the init script gives the role is the one the app logs in with.
      expect(decodeURIComponent(url.password)).toBe(env('postgres', passwordVariable));
    }
  });

  it.each(apps)('runs %s in production against the broker and the events exchange', (app) => {
    const amqp = new URL(env(app, 'AMQP_URL'));
    expect(amqp.protocol).toBe('amqp:');
    expect(Object.keys(compose.services)).toContain(amqp.hostname);
    expect(amqp.hostname).toBe('rabbitmq');
    expect(env(app, 'EVENTS_EXCHANGE')).toBe('events');
    expect(env(app, 'NODE_ENV')).toBe('production');
    expect(env(app, 'LOG_LEVEL')).toBe('info');
    expect(env(app, 'OTEL_SERVICE_NAME')).toBe(app);
  });
});
