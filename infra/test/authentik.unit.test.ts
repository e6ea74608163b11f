import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isFind, isKeyOf, loadBlueprints, resolvedEntry, tagsIn, type Blueprint, type BlueprintEntry } from './authentik.ts';
import { interpolate, parseMount, serviceNetworks } from './repo-files.ts';
import { apps, compose, service } from './stack.ts';

const blueprints = loadBlueprints();
const server = service('authentik-server');
const worker = service('authentik-worker');
/** The worker applies the blueprints: what their !Env tags read, with compose's defaults. */
const workerEnv = Object.fromEntries(Object.entries(worker.environment ?? {}).map(([key, value]) => [key, interpolate(String(value))]));

/** What authentik's own blueprints create, by blueprint name: the objects the Warren ones find. */
const authentikBlueprints: Record<string, { model: string; where: Record<string, string> }[]> = {
  'Default - Provider authorization flow (implicit consent)': [{ model: 'authentik_flows.flow', where: { slug: 'default-provider-authorization-implicit-consent' } }],
  'Default - Provider invalidation flow': [{ model: 'authentik_flows.flow', where: { slug: 'default-provider-invalidation-flow' } }],
  'System - OAuth2 Provider - Scopes': [],
  'System - Proxy Provider - Scopes': [],
};
/** Created by authentik at start-up, before any blueprint runs. */
const builtIn: { model: string; where: Record<string, string> }[] = [{ model: 'authentik_crypto.certificatekeypair', where: { name: 'authentik Self-signed Certificate' } }];

function entries(model: string): BlueprintEntry[] {
  return blueprints.flatMap((blueprint) => blueprint.entries.filter((entry) => entry.model === model));
}

function resolved(entry: BlueprintEntry): Record<string, unknown> {
  return resolvedEntry(entry, workerEnv);
}

/** The names of the blueprints an entry list applies first (authentik_blueprints.metaapplyblueprint). */
function appliedFirst(blueprint: Blueprint): string[] {
  return blueprint.entries
    .filter((entry) => entry.model === 'authentik_blueprints.metaapplyblueprint')
    .map((entry) => String((entry.attrs?.['identifiers'] as { name?: string } | undefined)?.name));
}

/** Whether an entry creates the object a !Find looks up (same model, every condition one of its fields). */
function creates(entry: BlueprintEntry, model: string, where: Record<string, unknown>): boolean {
  const fields = resolved(entry);
  return entry.model === model && Object.entries(where).every(([key, value]) => fields[key] === value);
}

describe('authentik in docker-compose.yml', () => {
  it('runs server, worker and their database in the `auth` profile only', () => {
    for (const name of ['authentik-server', 'authentik-worker', 'authentik-db']) expect(service(name).profiles, name).toEqual(['auth']);
    const profiled = Object.entries(compose.services).filter(([, definition]) => definition.profiles?.length).map(([name]) => name);
    expect(profiled.sort()).toEqual(['authentik-db', 'authentik-server', 'authentik-worker']);
  });

  it('pins one authentik release from 2025.10 on, which needs no Redis', () => {
    const match = /^ghcr\.io\/goauthentik\/server:(\d{4})\.(\d+)\.(\d+)$/.exec(server.image ?? '');
    expect(match).not.toBeNull();
    expect(worker.image).toBe(server.image);
    const [year, minor] = [Number(match?.[1]), Number(match?.[2])];
    expect(year > 2025 || (year === 2025 && minor >= 10)).toBe(true);
    expect(Object.keys(compose.services).filter((name) => /redis|valkey/.test(name))).toEqual([]);
    expect(Object.keys(workerEnv).filter((key) => key.startsWith('AUTHENTIK_REDIS__'))).toEqual([]);
    expect([server.command, worker.command]).toEqual([['server'], ['worker']]);
  });

  it('keeps its data in its own PostgreSQL, logged into as that database defines', () => {
    const host = workerEnv['AUTHENTIK_POSTGRESQL__HOST'] ?? '';
    const database = service(host);
    expect(database.image).toMatch(/^postgres:\d+\.\d+$/);
    const dbEnv = Object.fromEntries(Object.entries(database.environment ?? {}).map(([key, value]) => [key, interpolate(String(value))]));
    expect(workerEnv['AUTHENTIK_POSTGRESQL__NAME']).toBe(dbEnv['POSTGRES_DB']);
    expect(workerEnv['AUTHENTIK_POSTGRESQL__USER']).toBe(dbEnv['POSTGRES_USER']);
    expect(workerEnv['AUTHENTIK_POSTGRESQL__PASSWORD']).toBe(dbEnv['POSTGRES_PASSWORD']);
    expect((database.volumes ?? []).map(parseMount).find((mount) => mount.target === '/var/lib/postgresql/data')?.kind).toBe('volume');
    for (const [name, definition] of [['authentik-server', server], ['authentik-worker', worker]] as const) {
      expect(definition.depends_on?.[host], name).toEqual({ condition: 'service_healthy' });
      expect(serviceNetworks(definition).some((network) => serviceNetworks(database).includes(network)), name).toBe(true);
    }
  });

  it('gives server and worker the same settings, the admin bootstrap included', () => {
    expect(server.environment).toEqual(worker.environment);
    for (const key of ['AUTHENTIK_SECRET_KEY', 'AUTHENTIK_BOOTSTRAP_PASSWORD', 'AUTHENTIK_BOOTSTRAP_TOKEN']) expect(workerEnv[key], key).toBeTruthy();
    // authentik's default listeners (9000, 9443, 9300) are what stack.ts assumes.
    expect(Object.keys(workerEnv).filter((key) => key.startsWith('AUTHENTIK_LISTEN__'))).toEqual([]);
  });

  it('mounts the blueprints read-only at /blueprints/custom on server and worker', () => {
    for (const definition of [server, worker]) {
      const mount = (definition.volumes ?? []).map(parseMount).find((candidate) => candidate.target === '/blueprints/custom');
      expect(mount).toMatchObject({ source: './infra/authentik/blueprints', kind: 'repo', readOnly: true });
    }
  });

  it('publishes no port: browsers reach it through the proxy, the services on the internal network', () => {
    expect(server.ports ?? []).toEqual([]);
    expect(worker.ports ?? []).toEqual([]);
    expect(serviceNetworks(server)).toContain('apps');
  });
});

describe('authentik blueprints', () => {
  it('are version 1 blueprints with distinct names, every entry a model with identifiers', () => {
    expect(blueprints.map(({ file }) => file)).toEqual([
      'infra/authentik/blueprints/warren-access.yaml',
      'infra/authentik/blueprints/warren-apis.yaml',
      'infra/authentik/blueprints/warren-docs.yaml',
    ]);
    const names = blueprints.map((blueprint) => blueprint.metadata?.name);
    expect(new Set(names).size).toBe(blueprints.length);
    for (const blueprint of blueprints) {
      expect(blueprint.version, blueprint.file).toBe(1);
      for (const entry of blueprint.entries) {
        expect(entry.model, blueprint.file).toMatch(/^authentik_[a-z0-9_]+\.[a-z0-9]+$/);
        if (entry.model !== 'authentik_blueprints.metaapplyblueprint') expect(Object.keys(entry.identifiers ?? {}).length, `${blueprint.file} ${entry.model}`).toBeGreaterThan(0);
      }
    }
  });

  it('applies first only blueprints that exist, each before anything that needs it', () => {
    const ours = new Set(blueprints.map((blueprint) => blueprint.metadata?.name));
    for (const blueprint of blueprints) {
      const dependencies = appliedFirst(blueprint);
      for (const name of dependencies) expect(ours.has(name) || name in authentikBlueprints, `${blueprint.file} applies ${name}`).toBe(true);
      const firstOther = blueprint.entries.findIndex((entry) => entry.model !== 'authentik_blueprints.metaapplyblueprint');
      const lastMeta = blueprint.entries.findLastIndex((entry) => entry.model === 'authentik_blueprints.metaapplyblueprint');
      expect(lastMeta, blueprint.file).toBeLessThan(firstOther);
      for (const entry of blueprint.entries.filter((candidate) => candidate.model === 'authentik_blueprints.metaapplyblueprint')) expect(entry.attrs?.['required']).toBe(true);
    }
  });

  it('refers with !KeyOf only to an id defined earlier in the same file', () => {
    for (const blueprint of blueprints) {
      const seen = new Set<string>();
      for (const entry of blueprint.entries) {
        for (const reference of tagsIn([entry.identifiers, entry.attrs]).filter((tag) => tag.name === 'KeyOf')) {
          expect([...seen], `${blueprint.file}: !KeyOf ${String(reference.args[0])}`).toContain(reference.args[0]);
        }
        if (entry.id) {
          expect(seen.has(entry.id), `${blueprint.file}: id ${entry.id} twice`).toBe(false);
          seen.add(entry.id);
        }
      }
    }
  });

  it('finds with !Find only what authentik creates at start or a blueprint applied first creates', () => {
    let checked = 0;
    for (const blueprint of blueprints) {
      const before = appliedFirst(blueprint);
      const creators = blueprints.filter((candidate) => before.includes(candidate.metadata?.name ?? '')).flatMap((candidate) => candidate.entries);
      const finds = blueprint.entries.flatMap((entry) => Object.values(resolved(entry))).flatMap(function collect(value: unknown): { find: string; where: Record<string, unknown> }[] {
        if (isFind(value)) return [value];
        if (Array.isArray(value)) return value.flatMap(collect);
        if (value && typeof value === 'object') return Object.values(value).flatMap(collect);
        return [];
      });
      checked += finds.length;
      for (const { find, where } of finds) {
        const known = [...builtIn, ...before.flatMap((name) => authentikBlueprints[name] ?? [])].some((object) => object.model === find && Object.entries(where).every(([key, value]) => object.where[key] === value));
        const ours = creators.some((entry) => creates(entry, find, where));
        expect(known || ours, `${blueprint.file}: !Find ${find} ${JSON.stringify(where)}`).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('reads with !Env only variables compose sets on the worker, and holds no secret of its own', () => {
    const names = new Set(blueprints.flatMap((blueprint) => tagsIn(blueprint.entries).filter((tag) => tag.name === 'Env').map((tag) => String(tag.args[0]))));
    expect([...names].sort()).toEqual(['AUTHENTIK_TEST_PASSWORD', 'WARREN_API_CLIENT_TOKEN', 'WARREN_DOMAIN']);
    for (const name of names) expect(workerEnv[name], name).toBeTruthy();
    // Defaults live in one place, docker-compose.yml: no !Env carries its own.
    for (const tag of blueprints.flatMap((blueprint) => tagsIn(blueprint.entries)).filter((candidate) => candidate.name === 'Env')) expect(tag.args).toHaveLength(1);
  });

  it('lets only the warren-users group at every application', () => {
    // Per app, its API and its docs page.
    expect(entries('authentik_core.application')).toHaveLength(apps.length * 2);
    for (const blueprint of blueprints) {
      const bindings = blueprint.entries.filter((entry) => entry.model === 'authentik_policies.policybinding').map(resolved);
      for (const application of blueprint.entries.filter((entry) => entry.model === 'authentik_core.application')) {
        const bound = bindings.filter(({ target }) => isKeyOf(target) && target.keyOf === application.id);
        expect(bound.map(({ group }) => group), `${blueprint.file}: ${application.id ?? ''}`).toEqual([{ find: 'authentik_core.group', where: { name: 'warren-users' } }]);
        expect(resolved(application)['policy_engine_mode']).toBe('any');
      }
    }
  });

  it('puts the test user (password from the environment) and the API client in warren-users', () => {
    const group = entries('authentik_core.group').find((entry) => resolved(entry)['name'] === 'warren-users');
    expect(group?.id).toBeDefined();
    const users = Object.fromEntries(entries('authentik_core.user').map((entry) => [String(resolved(entry)['username']), resolved(entry)]));
    expect(users['warren-tester']).toMatchObject({ type: 'internal', is_active: true, password: workerEnv['AUTHENTIK_TEST_PASSWORD'], groups: [{ keyOf: group?.id }] });
    expect(users['warren-api-client']).toMatchObject({ type: 'service_account', is_active: true, groups: [{ keyOf: group?.id }] });
  });

  it('gives the API client a non-expiring app password, the client_credentials secret, from the environment', () => {
    const tokens = entries('authentik_core.token').map(resolved);
    const client = entries('authentik_core.user').find((entry) => resolved(entry)['username'] === 'warren-api-client');
    expect(tokens).toEqual([
      expect.objectContaining({ identifier: 'warren-api-client', intent: 'app_password', expiring: false, key: workerEnv['WARREN_API_CLIENT_TOKEN'], user: { keyOf: client?.id } }),
    ]);
  });

  it('serves every forward-auth provider from the embedded outpost, sending browsers to the public authentik', () => {
    const proxies = entries('authentik_providers_proxy.proxyprovider');
    expect(proxies.length).toBe(apps.length);
    const outposts = entries('authentik_outposts.outpost').map(resolved);
    expect(outposts).toHaveLength(1);
    const outpost = outposts[0] ?? {};
    expect(outpost).toMatchObject({ managed: 'goauthentik.io/outposts/embedded', type: 'proxy' });
    expect(outpost['providers']).toEqual(proxies.map((proxy) => ({ keyOf: proxy.id })));
    expect((outpost['config'] as Record<string, unknown>)['authentik_host']).toBe(`https://auth.${workerEnv['WARREN_DOMAIN'] ?? ''}/`);
    for (const proxy of proxies.map(resolved)) expect(proxy).toMatchObject({ mode: 'forward_single', intercept_header_auth: false });
  });

  it.skipIf(!hasPython())('puts the granted scopes into the `scope` claim, and survives the discovery listing with no token', () => {
    const expressions = new Set(entries('authentik_providers_oauth2.scopemapping').map((entry) => String(resolved(entry)['expression'])));
    expect(expressions.size).toBe(1);
    for (const expression of expressions) {
      // As authentik runs it: the body of a function whose parameters are the context it passes.
      const body = expression.replace(/^/gm, '    ');
      const program = [
        'import json',
        'class Token:\n    scope = ["catalog:read", "catalog:write"]',
        `def issuing(token, user, request, provider):\n${body}`,
        `def discovery(user, request, provider):\n${body}`,
        'print(json.dumps([issuing(Token(), None, None, None), discovery(None, None, None)]))',
      ].join('\n');
      const [issued, listed] = JSON.parse(execFileSync('python3', ['-c', program], { encoding: 'utf8' })) as unknown[];
      expect(issued).toEqual({ scope: 'catalog:read catalog:write' });
      expect(listed).toEqual({});
    }
  });
});

function hasPython(): boolean {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
