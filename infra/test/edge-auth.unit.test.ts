import { describe, expect, it } from 'vitest';
import { isFind, isKeyOf, loadBlueprints, resolvedEntry, type BlueprintEntry } from './authentik.ts';
import { interpolate, serviceNetworks } from './repo-files.ts';
import { apps, listenPorts, service, type App } from './stack.ts';
import { loadTraefikDynamic, parseRule, ruleMatchesPath, type Router } from './traefik.ts';

/**
 * The scopes each service checks (packages/http `authenticate`): `<service>:read` for GET and
 * HEAD, `<service>:write` for any other method; audit only serves reads.
 */
const requiredScopes: Record<App, string[]> = {
  catalog: ['catalog:read', 'catalog:write'],
  inventory: ['inventory:read', 'inventory:write'],
  audit: ['audit:read'],
  console: ['warren:read', 'warren:operate'],
};

/** Paths of each service that must get through the proxy, and those that must not. */
const openPaths = ['/api/v1/items', '/health', '/ready', '/openapi.json', '/asyncapi.json'];
const browserPaths = ['/docs', '/docs/assets/swagger-ui.css', '/asyncapi', '/asyncapi/assets/viewer.js'];
const outpostPath = '/outpost.goauthentik.io/callback';

const blueprints = loadBlueprints();

/** Everything the three files say, with compose's interpolation and authentik's tags resolved for one environment. */
function deployment(shellEnv: Record<string, string>) {
  const composeEnv = (name: string) => Object.fromEntries(Object.entries(service(name).environment ?? {}).map(([key, value]) => [key, interpolate(String(value), shellEnv)]));
  const workerEnv = composeEnv('authentik-worker');
  const { http } = loadTraefikDynamic(composeEnv('traefik')).config;
  const publicRouters = Object.entries(http.routers).filter(([, router]) => router.entryPoints?.includes('websecure'));
  const resolved = (entry: BlueprintEntry) => resolvedEntry(entry, workerEnv);
  const inFile = (entry: BlueprintEntry) => blueprints.find((blueprint) => blueprint.entries.includes(entry))?.entries ?? [];

  return {
    domain: workerEnv['WARREN_DOMAIN'] ?? '',
    appEnv: (app: App) => composeEnv(app),
    /** The public routers whose rule matches this host and path. */
    routed(host: string, path: string): [string, Router][] {
      return publicRouters.filter(([, router]) => {
        const rule = parseRule(router.rule);
        return rule.hosts.includes(host) && ruleMatchesPath(rule, path);
      });
    },
    /** The compose services behind a Traefik service. */
    backends(name: string): { host: string; port: number }[] {
      return (http.services[name]?.loadBalancer?.servers ?? []).map(({ url }) => ({ host: new URL(url).hostname, port: Number(new URL(url).port) }));
    },
    middleware: (name: string) => http.middlewares[name],
    /** The application of a slug, and the provider it points at (an entry of the same file). */
    application(slug: string): { application?: Record<string, unknown>; provider?: BlueprintEntry } {
      const entry = blueprints.flatMap((blueprint) => blueprint.entries).find((candidate) => candidate.model === 'authentik_core.application' && resolved(candidate)['slug'] === slug);
      if (!entry) return {};
      const application = resolved(entry);
      const reference = application['provider'];
      const provider = isKeyOf(reference) ? inFile(entry).find((candidate) => candidate.id === reference.keyOf) : undefined;
      return { application, provider };
    },
    resolved,
    /** The scope names a provider offers: its property mappings, found by name. */
    scopesOf(provider: BlueprintEntry): string[] {
      const mappings = (resolved(provider)['property_mappings'] as unknown[] | undefined) ?? [];
      return mappings.map((mapping) => {
        if (!isFind(mapping) || mapping.find !== 'authentik_providers_oauth2.scopemapping') throw new Error(`not a scope mapping: ${JSON.stringify(mapping)}`);
        const found = blueprints.flatMap((blueprint) => blueprint.entries).find((entry) => entry.model === mapping.find && resolved(entry)['name'] === mapping.where['name']);
        return String(found && resolved(found)['scope_name']);
      });
    },
    proxyProviders: () => blueprints.flatMap((blueprint) => blueprint.entries).filter((entry) => entry.model === 'authentik_providers_proxy.proxyprovider'),
    outpost: () => blueprints.flatMap((blueprint) => blueprint.entries).find((entry) => entry.model === 'authentik_outposts.outpost'),
  };
}

const environments = [
  ['the default domain (localhost)', {}],
  ['a production domain', { WARREN_DOMAIN: 'warren.example.org' }],
] as const;

describe.each(environments)('compose, Traefik and authentik agree under %s', (_label, shellEnv) => {
  const stack = deployment(shellEnv);
  const authHost = `auth.${stack.domain}`;

  it('routes the auth host, and nothing but it, to authentik-server', () => {
    const routed = stack.routed(authHost, '/application/o/token/');
    expect(routed).toHaveLength(1);
    for (const [, router] of routed) {
      expect(stack.backends(router.service)).toEqual([{ host: 'authentik-server', port: 9000 }]);
      expect(router.middlewares ?? []).not.toContain('authentik');
    }
  });

  it.each(apps)('gives %s the audience and issuer of its own provider in the blueprint', (app) => {
    const env = stack.appEnv(app);
    const issuer = new URL(env['AUTH_ISSUER'] ?? '');
    expect(issuer.protocol).toBe('https:');
    expect(issuer.host).toBe(authHost);
    const slug = /^\/application\/o\/([a-z0-9-]+)\/$/.exec(issuer.pathname)?.[1] ?? '';
    const { application, provider } = stack.application(slug);
    expect(application, `application ${slug}`).toBeDefined();
    expect(provider?.model).toBe('authentik_providers_oauth2.oauth2provider');
    const fields = stack.resolved(provider ?? { model: '' });
    // authentik's `aud` is the client_id; `iss` is …/application/o/<application slug>/ per provider.
    expect(fields['client_id']).toBe(env['AUTH_AUDIENCE']);
    expect(fields['client_id']).toBe(`warren-${app}`);
    expect(fields['issuer_mode']).toBe('per_provider');
    expect(fields['include_claims_in_id_token']).toBe(true);
    expect(fields['signing_key']).toEqual({ find: 'authentik_crypto.certificatekeypair', where: { name: 'authentik Self-signed Certificate' } });
  });

  it.each(apps)("offers on %s's provider exactly the scopes that service requires", (app) => {
    const slug = /\/application\/o\/([a-z0-9-]+)\/$/.exec(stack.appEnv(app)['AUTH_ISSUER'] ?? '')?.[1] ?? '';
    const { provider } = stack.application(slug);
    expect(stack.scopesOf(provider ?? { model: '' }).sort()).toEqual([...requiredScopes[app]].sort());
  });

  it.each(apps)('lets %s fetch the signing keys from authentik-server inside the network', (app) => {
    const env = stack.appEnv(app);
    const jwks = new URL(env['AUTH_JWKS_URL'] ?? '');
    const slug = /\/application\/o\/([a-z0-9-]+)\/$/.exec(env['AUTH_ISSUER'] ?? '')?.[1] ?? '';
    expect(jwks.protocol).toBe('http:');
    expect(jwks.hostname).toBe('authentik-server');
    expect(listenPorts()['authentik-server']).toContain(Number(jwks.port));
    expect(jwks.pathname).toBe(`/application/o/${slug}/jwks/`);
    expect(serviceNetworks(service('authentik-server')).some((network) => serviceNetworks(service(app)).includes(network))).toBe(true);
  });

  it.each(apps)('routes the API and open endpoints of %s to it, with no forward-auth and no /metrics', (app) => {
    const host = `${app}.${stack.domain}`;
    for (const path of openPaths) {
      const routed = stack.routed(host, path);
      expect(routed.map(([name]) => name), `${host}${path}`).toHaveLength(1);
      for (const [name, router] of routed) {
        expect(stack.backends(router.service).map(({ host: backend }) => backend), name).toEqual([app]);
        expect(router.middlewares ?? [], name).not.toContain('authentik');
      }
    }
    expect(stack.routed(host, '/metrics')).toEqual([]);
  });

  it.each(apps)('puts the /docs and /asyncapi pages of %s behind authentik forward-auth, its outpost paths on the same host', (app) => {
    const host = `${app}.${stack.domain}`;
    for (const path of browserPaths) {
      const routed = stack.routed(host, path);
      expect(routed, `${host}${path}`).toHaveLength(1);
      for (const [name, router] of routed) {
        expect(stack.backends(router.service).map(({ host: backend }) => backend), name).toEqual([app]);
        expect(router.middlewares, name).toContain('authentik');
      }
    }
    const outpost = stack.routed(host, outpostPath);
    expect(outpost).toHaveLength(1);
    for (const [, router] of outpost) expect(stack.backends(router.service)).toEqual([{ host: 'authentik-server', port: 9000 }]);
  });

  it('asks the embedded outpost of authentik-server, the service that exists in compose, for forward-auth', () => {
    const forwardAuth = stack.middleware('authentik')?.forwardAuth;
    const address = new URL(forwardAuth?.address ?? '');
    expect(address.hostname).toBe('authentik-server');
    expect(listenPorts()[address.hostname]).toContain(Number(address.port));
    expect(address.pathname).toBe('/outpost.goauthentik.io/auth/traefik');
    expect(forwardAuth?.trustForwardHeader).toBe(true);
    expect(forwardAuth?.authResponseHeaders).toEqual(expect.arrayContaining(['X-authentik-username', 'X-authentik-groups', 'X-authentik-email', 'X-authentik-uid', 'X-authentik-jwt']));
    expect(serviceNetworks(service('authentik-server')).some((network) => serviceNetworks(service('traefik')).includes(network))).toBe(true);
  });

  it('declares one forward_single proxy provider per forward-auth host, each served by the embedded outpost', () => {
    const guardedHosts = new Set(apps.flatMap((app) => stack.routed(`${app}.${stack.domain}`, '/docs').filter(([, router]) => router.middlewares?.includes('authentik')).map(() => `${app}.${stack.domain}`)));
    const providers = stack.proxyProviders();
    const externalHosts = providers.map((entry) => new URL(String(stack.resolved(entry)['external_host'])));
    expect(externalHosts.map(({ host }) => host).sort()).toEqual([...guardedHosts].sort());
    for (const url of externalHosts) expect(url.protocol).toBe('https:');
    for (const entry of providers) expect(stack.resolved(entry)['mode']).toBe('forward_single');
    const outpost = stack.resolved(stack.outpost() ?? { model: '' });
    expect(outpost['providers']).toEqual(providers.map(({ id }) => ({ keyOf: id })));
    expect((outpost['config'] as Record<string, unknown>)['authentik_host']).toBe(`https://${authHost}/`);
  });

  it.each(apps)('allows %s CORS requests from exactly the public origins of the services', (app) => {
    const origins = (stack.appEnv(app)['CORS_ORIGINS'] ?? '').split(',');
    expect(origins.sort()).toEqual(apps.map((other) => `https://${other}.${stack.domain}`).sort());
    for (const origin of origins) expect(stack.routed(new URL(origin).host, '/api/v1/x').length, origin).toBe(1);
  });
});
