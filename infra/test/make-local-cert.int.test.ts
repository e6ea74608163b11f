import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoPath } from './repo-files.ts';
import { loadTraefikDynamic, parseRule, traefikFiles } from './traefik.ts';

/** OpenSSL 3 (the certs service runs alpine/openssl 3.x): `req -x509 -CA` needs it. */
function hasOpenssl3(): boolean {
  try {
    return /^OpenSSL 3\./.test(execFileSync('openssl', ['version'], { encoding: 'utf8' }));
  } catch {
    return false;
  }
}

const directory = mkdtempSync(join(tmpdir(), 'warren-certs-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function run(env: Record<string, string> = {}): string {
  return execFileSync('sh', [repoPath(traefikFiles.certScript)], { env: { PATH: process.env['PATH'], CERT_DIR: directory, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const read = (name: string) => readFileSync(join(directory, name), 'utf8');
const certificate = (name: string) => new X509Certificate(read(name));
const dnsNames = (cert: X509Certificate) => (cert.subjectAltName ?? '').split(', ').map((name) => name.replace(/^DNS:/, ''));

/** Every host a public Traefik router serves with this domain. */
function routedHosts(domain: string): string[] {
  const routers = Object.values(loadTraefikDynamic({ WARREN_DOMAIN: domain }).config.http.routers).filter((router) => router.entryPoints?.includes('websecure'));
  return [...new Set(routers.flatMap((router) => parseRule(router.rule).hosts))].sort();
}

describe.skipIf(!hasOpenssl3())('infra/traefik/make-local-cert.sh', () => {
  it('creates a CA and a server certificate, signed by it, for every host Traefik routes', () => {
    expect(run()).toMatch(/created a local CA/);
    const ca = certificate('ca.crt');
    const host = certificate('warren.crt');
    expect(ca.ca).toBe(true);
    expect(host.ca).toBe(false);
    expect(host.verify(ca.publicKey)).toBe(true);
    expect(host.checkIssued(ca)).toBe(true);
    expect(dnsNames(host).sort()).toEqual(routedHosts('localhost'));
    expect(host.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    const days = (Date.parse(host.validTo) - Date.parse(host.validFrom)) / 86_400_000;
    expect(days).toBeLessThanOrEqual(398);
  });

  it('leaves the private keys readable by their owner only, the certificates by all', () => {
    for (const key of ['ca.key', 'warren.key']) expect(statSync(join(directory, key)).mode & 0o777, key).toBe(0o600);
    for (const cert of ['ca.crt', 'warren.crt']) expect(statSync(join(directory, cert)).mode & 0o777, cert).toBe(0o644);
  });

  it('keeps everything on the next start while it is valid', () => {
    const before = ['ca.key', 'ca.crt', 'warren.key', 'warren.crt'].map(read);
    expect(run()).toMatch(/kept/);
    expect(['ca.key', 'ca.crt', 'warren.key', 'warren.crt'].map(read)).toEqual(before);
  });

  it('issues the server certificate again, from the same CA, when the domain changes', () => {
    const ca = read('ca.crt');
    expect(run({ WARREN_DOMAIN: 'warren.example.org' })).toMatch(/issued/);
    expect(read('ca.crt')).toBe(ca);
    expect(dnsNames(certificate('warren.crt')).sort()).toEqual(routedHosts('warren.example.org'));
    expect(certificate('warren.crt').checkIssued(certificate('ca.crt'))).toBe(true);
  });

  it('issues it again when the CA that signed it is gone, so it matches the CA to trust', () => {
    const previous = read('warren.crt');
    rmSync(join(directory, 'ca.key'));
    rmSync(join(directory, 'ca.crt'));
    expect(run({ WARREN_DOMAIN: 'warren.example.org' })).toMatch(/issued/);
    expect(read('warren.crt')).not.toBe(previous);
    expect(certificate('warren.crt').verify(certificate('ca.crt').publicKey)).toBe(true);
  });

  it('keeps a certificate made elsewhere (mkcert) that covers the hosts', () => {
    const sans = routedHosts('localhost').map((host) => `DNS:${host}`).join(',');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-noenc', '-days', '90', '-subj', '/CN=mkcert development certificate', '-addext', `subjectAltName=${sans}`, '-keyout', join(directory, 'warren.key'), '-out', join(directory, 'warren.crt')], { stdio: 'ignore' });
    const foreign = read('warren.crt');
    rmSync(join(directory, 'ca.crt'));
    expect(run()).toMatch(/created a local CA[\s\S]*kept/);
    expect(read('warren.crt')).toBe(foreign);
  });
});
