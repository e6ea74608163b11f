import { describe, expect, it } from 'vitest';
import { commandFlag, interpolate, parseMount, publishedPorts, readRepoFile, repoFileAt, serviceNetworks } from './repo-files.ts';
import { compose, listenPorts, prometheus, service } from './stack.ts';
import { dynamicFileNames, entryPointPort, loadTraefikDynamic, parseRule, traefikFiles, traefikStatic } from './traefik.ts';

const traefikService = service('traefik');
const { config, duplicates } = loadTraefikDynamic();
const routers = Object.entries(config.http.routers);
const publicRouters = routers.filter(([, router]) => router.entryPoints?.includes('websecure'));

/** The container path Traefik sees a repository path at, through its bind mounts. */
function mountTarget(repoPathOf: string): string | undefined {
  return (traefikService.volumes ?? []).map(parseMount).find((mount) => mount.kind === 'repo' && mount.source.replace(/^\.\//, '') === repoPathOf)?.target;
}

describe('Traefik static configuration', () => {
  it('runs a pinned Traefik v3 with this file as its static configuration', () => {
    expect(traefikService.image).toMatch(/^traefik:v3\.\d+\.\d+$/);
    const configFile = commandFlag(traefikService, '--configFile');
    expect(configFile && repoFileAt(traefikService, configFile)).toBe(traefikFiles.static);
  });

  it('redirects plain HTTP permanently to the HTTPS entry point, and serves no router there', () => {
    const redirect = traefikStatic.entryPoints['web']?.http?.redirections?.entryPoint;
    expect(redirect).toEqual({ to: 'websecure', scheme: 'https', permanent: true });
    expect(entryPointPort('web')).toBe(80);
    expect(entryPointPort('websecure')).toBe(443);
    expect(routers.filter(([, router]) => router.entryPoints?.includes('web'))).toEqual([]);
  });

  it('reads its routers from the mounted dynamic directory, never from a Docker socket', () => {
    expect(traefikStatic.providers.docker).toBeUndefined();
    expect(traefikStatic.providers.swarm).toBeUndefined();
    expect(mountTarget(traefikFiles.dynamic)).toBe(traefikStatic.providers.file?.directory);
    expect(dynamicFileNames().length).toBeGreaterThan(0);
    expect((traefikService.volumes ?? []).map(parseMount).filter((mount) => mount.kind === 'host')).toEqual([]);
  });

  it('serves the dashboard only on its own entry point, published on the loopback interface', () => {
    expect(traefikStatic.api?.insecure).not.toBe(true);
    const dashboardRouters = routers.filter(([, router]) => router.service === 'api@internal');
    expect(dashboardRouters.length).toBe(1);
    for (const [name, router] of dashboardRouters) expect(router.entryPoints, name).toEqual(['dashboard']);
    const port = entryPointPort('dashboard');
    const published = (traefikService.ports ?? []).filter((spec) => interpolate(spec).endsWith(`:${port}`));
    expect(published.length).toBe(1);
    for (const spec of published) expect(interpolate(spec, { WARREN_BIND_ADDRESS: '0.0.0.0' })).toMatch(/^127\.0\.0\.1:/);
  });

  it('publishes 80 and 443 on the loopback interface unless WARREN_BIND_ADDRESS opens them', () => {
    const bound = (env: Record<string, string>) => (traefikService.ports ?? []).map((spec) => interpolate(spec, env)).filter((spec) => /:(80|443)$/.test(spec));
    expect(bound({})).toEqual(['127.0.0.1:80:80', '127.0.0.1:443:443']);
    expect(bound({ WARREN_BIND_ADDRESS: '0.0.0.0' })).toEqual(['0.0.0.0:80:80', '0.0.0.0:443:443']);
    expect(publishedPorts(traefikService).map(({ container }) => container)).not.toContain(entryPointPort('metrics'));
  });

  it('logs and access-logs JSON to stdout, leaving request headers (tokens, cookies) out', () => {
    expect(traefikStatic.log?.format).toBe('json');
    expect(traefikStatic.accessLog?.format).toBe('json');
    expect(traefikStatic.accessLog?.filePath).toBeUndefined();
    expect(traefikStatic.accessLog?.fields?.headers?.defaultMode).toBe('drop');
    for (const [header, mode] of Object.entries(traefikStatic.accessLog?.fields?.headers?.names ?? {})) {
      if (/^(authorization|cookie|x-authentik-jwt)$/i.test(header)) expect(mode, header).toBe('drop');
    }
  });

  it('exposes Prometheus metrics and /ping on an unpublished entry point that Prometheus scrapes', () => {
    const entryPoint = traefikStatic.metrics?.prometheus?.entryPoint ?? '';
    expect(traefikStatic.ping?.entryPoint).toBe(entryPoint);
    const port = entryPointPort(entryPoint);
    const job = prometheus.scrape_configs.find((candidate) => candidate.static_configs?.some(({ targets }) => targets.includes(`traefik:${port}`)));
    expect(job?.job_name).toBe('traefik');
    expect(serviceNetworks(service('prometheus')).some((network) => serviceNetworks(traefikService).includes(network))).toBe(true);
    expect(traefikService.healthcheck?.test).toEqual(['CMD', 'wget', '-q', '--spider', `http://127.0.0.1:${port}/ping`]);
  });
});

describe('Traefik dynamic configuration', () => {
  it('defines every router, middleware and service once across the files', () => {
    expect(duplicates).toEqual([]);
    expect(routers.length).toBeGreaterThan(0);
  });

  it('reads only the environment compose hands Traefik: WARREN_DOMAIN and TLS_CERT_RESOLVER', () => {
    const read = new Set(dynamicFileNames().flatMap((name) => [...readRepoFile(`${traefikFiles.dynamic}/${name}`).matchAll(/\benv "(\w+)"/g)].map((match) => match[1])));
    const environment = traefikService.environment ?? {};
    expect([...read].sort()).toEqual(Object.keys(environment).sort());
    expect(interpolate(environment['WARREN_DOMAIN'] ?? '')).toBe('localhost');
    expect(interpolate(environment['TLS_CERT_RESOLVER'] ?? 'unset')).toBe('');
    expect(interpolate(environment['TLS_CERT_RESOLVER'] ?? '', { TLS_CERT_RESOLVER: 'letsencrypt' })).toBe('letsencrypt');
    const hosts = (env: Record<string, string>) => Object.values(loadTraefikDynamic(env).config.http.routers).flatMap((router) => parseRule(router.rule).hosts);
    expect(hosts({}).length).toBeGreaterThan(0);
    expect(hosts({}).every((host) => host.endsWith('.localhost'))).toBe(true);
    expect(hosts({ WARREN_DOMAIN: 'example.org' }).every((host) => host.endsWith('.example.org'))).toBe(true);
  });

  it('lists the entry points of every router, all of them defined', () => {
    for (const [name, router] of routers) {
      expect(router.entryPoints?.length, name).toBeGreaterThan(0);
      for (const entryPoint of router.entryPoints ?? []) expect(Object.keys(traefikStatic.entryPoints), name).toContain(entryPoint);
    }
  });

  it('points every router at a service it defines (or the dashboard), through middlewares it defines', () => {
    for (const [name, router] of routers) {
      expect([...Object.keys(config.http.services), 'api@internal'], `${name} -> ${router.service}`).toContain(router.service);
      for (const middleware of router.middlewares ?? []) expect(Object.keys(config.http.middlewares), `${name} uses ${middleware}`).toContain(middleware);
    }
  });

  it('sends every service to a compose service, on a port it listens on, on a network Traefik shares', () => {
    const ports = listenPorts();
    const services = Object.entries(config.http.services);
    expect(services.length).toBeGreaterThan(0);
    for (const [name, definition] of services) {
      const servers = definition.loadBalancer?.servers ?? [];
      expect(servers.length, name).toBeGreaterThan(0);
      for (const { url } of servers) {
        const target = new URL(url);
        expect(target.protocol, url).toBe('http:');
        expect(Object.keys(compose.services), url).toContain(target.hostname);
        expect(ports[target.hostname], url).toContain(Number(target.port));
        expect(serviceNetworks(service(target.hostname)).some((network) => serviceNetworks(traefikService).includes(network)), url).toBe(true);
      }
    }
  });

  it('matches public routers by host name, with path matchers joined by `||` only', () => {
    const matcher = '(?:Path|PathPrefix)\\(`/[^`]*`\\)';
    const shape = new RegExp(`^Host\\(\`[a-z0-9.-]+\`\\)(?: && (?:${matcher}|\\(${matcher}(?: \\|\\| ${matcher})*\\)))?$`);
    for (const [name, router] of publicRouters) expect(router.rule, name).toMatch(shape);
  });

  it('ends TLS on every public router, with the ACME resolver TLS_CERT_RESOLVER names (none locally)', () => {
    for (const [name, router] of publicRouters) expect(router.tls, name).toEqual({ certResolver: '' });
    const production = Object.entries(loadTraefikDynamic({ TLS_CERT_RESOLVER: 'letsencrypt' }).config.http.routers).filter(([, router]) => router.entryPoints?.includes('websecure'));
    for (const [name, router] of production) expect(router.tls?.certResolver, name).toBe('letsencrypt');
  });

  it('defines that ACME resolver statically, its account and certificates kept in a named volume', () => {
    const acme = traefikStatic.certificatesResolvers?.['letsencrypt']?.acme;
    expect(acme?.tlsChallenge ?? acme?.httpChallenge).toBeDefined();
    const storage = (traefikService.volumes ?? []).map(parseMount).find((mount) => acme?.storage?.startsWith(`${mount.target}/`));
    expect(storage?.kind).toBe('volume');
    expect(storage?.readOnly).toBe(false);
  });

  it('serves the local certificate from the volume the certs job writes, never from the repository', () => {
    const certificate = config.tls.stores?.['default']?.defaultCertificate;
    expect(certificate).toBeDefined();
    const certsJob = service('certs');
    const certDir = certsJob.environment?.['CERT_DIR'] ?? '';
    const written = (certsJob.volumes ?? []).map(parseMount).find((mount) => mount.target === certDir);
    expect(written?.kind).toBe('volume');
    const read = (traefikService.volumes ?? []).map(parseMount).find((mount) => mount.source === written?.source);
    expect(read?.readOnly).toBe(true);
    expect(certificate?.certFile).toBe(`${read?.target ?? ''}/warren.crt`);
    expect(certificate?.keyFile).toBe(`${read?.target ?? ''}/warren.key`);
    expect(traefikService.depends_on?.['certs']).toEqual({ condition: 'service_completed_successfully' });
    expect(config.tls.options?.['default']?.minVersion).toMatch(/^VersionTLS1[23]$/);
  });

  it('runs the certificate script from the repository in a pinned OpenSSL image, with no network', () => {
    const certsJob = service('certs');
    expect(certsJob.image).toMatch(/^alpine\/openssl:3\.\d+\.\d+$/);
    const script = certsJob.entrypoint?.at(-1) ?? '';
    expect(repoFileAt(certsJob, script)).toBe(traefikFiles.certScript);
    expect(serviceNetworks(certsJob)).toEqual([]);
    expect(interpolate(certsJob.environment?.['WARREN_DOMAIN'] ?? '')).toBe(interpolate(traefikService.environment?.['WARREN_DOMAIN'] ?? ''));
  });
});
