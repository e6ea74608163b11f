import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRoute, z } from '@hono/zod-openapi';
import { createLogger } from '@warren/telemetry';
import { startTestIssuer, type TestIssuer } from '@warren/testing';
import { Hono } from 'hono';
import { authenticate, createTokenVerifier } from './auth.ts';
import type { EdgeEnv } from './context.ts';
import { errorHandler } from './problem.ts';
import { createEdge } from './edge.ts';

const logger = createLogger({ service: 'auth-test', level: 'silent' });

function base64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

async function hmac(secret: string, data: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return Buffer.from(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(data))).toString('base64url');
}

describe('bearer authentication at the edge', () => {
  let issuer: TestIssuer;
  let app: ReturnType<typeof createEdge>;

  beforeAll(async () => {
    issuer = await startTestIssuer({ defaultAudience: 'warren-catalog' });
    app = createEdge({ service: 'catalog', version: 't', logger, auth: createTokenVerifier({ issuer: issuer.issuer, audience: 'warren-catalog' }) });
    const echo = createRoute({ method: 'get', path: '/api/v1/whoami', responses: { 200: { description: 'caller', content: { 'application/json': { schema: z.object({ caller: z.string() }) } } } } });
    app.openapi(echo, (c) => c.json({ caller: c.get('caller') }, 200));
    app.post('/api/v1/things', (c) => c.json({ caller: c.get('caller') }, 201));
  });
  afterAll(() => issuer.close());

  const call = (token: string | undefined, method = 'GET', path = '/api/v1/whoami') =>
    app.request(path, { method, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

  it('lets a valid token with the read scope through and makes its subject the caller', async () => {
    const response = await call(await issuer.sign({ subject: 'alice', scope: 'catalog:read' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ caller: 'alice' });
  });

  it('asks for a token with a Bearer challenge when there is none', async () => {
    const response = await call(undefined);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers 403 with the missing scope when a read token writes', async () => {
    const response = await call(await issuer.sign({ scope: 'catalog:read' }), 'POST', '/api/v1/things');
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain('scope="catalog:write"');
    expect(await response.json()).toMatchObject({ type: 'urn:warren:problem:insufficient_scope', status: 403 });
  });

  it('accepts a write token on a write', async () => {
    const response = await call(await issuer.sign({ subject: 'bob', scope: 'catalog:write' }), 'POST', '/api/v1/things');
    expect(response.status).toBe(201);
  });

  const rejected: [string, () => Promise<string>][] = [
    ['an expired token', () => issuer.sign({ scope: 'catalog:read', expiresIn: -120 })],
    ['a token not valid yet', () => issuer.sign({ scope: 'catalog:read', notBefore: 600 })],
    ['a token of another issuer', () => issuer.sign({ scope: 'catalog:read', issuer: 'https://elsewhere.example' })],
    ['a token for another audience', () => issuer.sign({ scope: 'catalog:read', audience: 'warren-audit' })],
    ['a token without exp', () => issuer.sign({ scope: 'catalog:read', expiresIn: null })],
    ['a token signed by an unknown key', () => issuer.sign({ scope: 'catalog:read', unknownKey: true })],
    ['an unsigned token (alg none)', async () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ iss: issuer.issuer, sub: 'eve', aud: 'warren-catalog', scope: 'catalog:read', exp: Math.floor(Date.now() / 1000) + 300 })}.`],
    [
      'an HS256 token signed with the public key',
      async () => {
        const body = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ iss: issuer.issuer, sub: 'eve', aud: 'warren-catalog', scope: 'catalog:read', exp: Math.floor(Date.now() / 1000) + 300 })}`;
        return `${body}.${await hmac(issuer.publicKeyPem, body)}`;
      },
    ],
    ['garbage', async () => 'not.a.jwt'],
  ];
  it.each(rejected)('rejects %s with 401 problem+json, never 500', async (_name, token) => {
    const response = await call(await token());
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it.each([
    ['an empty sub', ''],
    ['a sub longer than 255 characters', 'a'.repeat(256)],
    ['a sub with a NUL character', 'alice\u0000'],
    ['a sub with a line break', 'alice\nlevel=admin'],
  ])('rejects a token with %s with 401: its caller could not be an event actor', async (_name, subject) => {
    const response = await call(await issuer.sign({ subject, scope: 'catalog:read' }));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('accepts the longest sub OpenID Connect allows (255 characters)', async () => {
    const subject = 'a'.repeat(255);
    const response = await call(await issuer.sign({ subject, scope: 'catalog:read' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ caller: subject });
  });

  it("turns an address's failed attempts past its budget into 429 with Retry-After, valid tokens unaffected", async () => {
    let now = 0;
    const limited = new Hono<EdgeEnv>();
    limited.onError(errorHandler({ logger }));
    limited.use('/api/*', authenticate({ service: 'catalog', verifier: createTokenVerifier({ issuer: issuer.issuer, audience: 'warren-catalog' }), failuresPerMinute: 3, now: () => now }));
    limited.get('/api/v1/whoami', (c) => c.json({ caller: c.get('caller') }));
    const ask = (token: string) => limited.request('/api/v1/whoami', { headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < 3; i += 1) expect((await ask('not.a.jwt')).status).toBe(401);
    const refused = await ask('not.a.jwt');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('20');
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await limited.request('/api/v1/whoami')).status).toBe(429);
    expect((await ask(await issuer.sign({ subject: 'alice', scope: 'catalog:read' }))).status).toBe(200);
    now += 20_000;
    expect((await ask('not.a.jwt')).status).toBe(401);
  });

  it('counts failed attempts through createEdge when authFailuresPerMinute is set', async () => {
    const edge = createEdge({ service: 'catalog', version: 't', logger, auth: createTokenVerifier({ issuer: issuer.issuer, audience: 'warren-catalog' }), authFailuresPerMinute: 2 });
    edge.get('/api/v1/whoami', (c) => c.json({}));
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await edge.request('/api/v1/whoami', { headers: { authorization: 'Bearer garbage' } })).status);
    expect(statuses).toEqual([401, 401, 429, 429]);
  });

  it('refetches the key set when a token names a new kid (key rotation)', async () => {
    const rotating = createEdge({ service: 'catalog', version: 't', logger, auth: createTokenVerifier({ issuer: issuer.issuer, audience: 'warren-catalog', keySetCooldownMs: 0 }) });
    rotating.get('/api/v1/whoami', (c) => c.json({}));
    const ask = async () => rotating.request('/api/v1/whoami', { headers: { authorization: `Bearer ${await issuer.sign({ scope: 'catalog:read' })}` } });
    expect((await ask()).status).toBe(200);
    const fetches = issuer.jwksFetches;
    await issuer.rotate();
    expect((await ask()).status).toBe(200);
    expect(issuer.jwksFetches).toBe(fetches + 1);
  });

  it('answers 401 (not 500) when the issuer cannot be reached', async () => {
    const unreachable = createEdge({ service: 'catalog', version: 't', logger, auth: createTokenVerifier({ issuer: 'http://127.0.0.1:9', audience: 'warren-catalog', fetchTimeoutMs: 500 }) });
    unreachable.get('/api/v1/whoami', (c) => c.json({}));
    const response = await unreachable.request('/api/v1/whoami', { headers: { authorization: `Bearer ${await issuer.sign({ scope: 'catalog:read' })}` } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ detail: "The issuer's signing keys cannot be fetched right now." });
  });

  it('keeps health, readiness, metrics and the docs open', async () => {
    const open = createEdge({ service: 'catalog', version: 't', logger, checks: {}, auth: createTokenVerifier({ issuer: issuer.issuer, audience: 'warren-catalog' }) });
    for (const path of ['/health', '/ready', '/openapi.json', '/docs']) expect((await open.request(path)).status, path).toBe(200);
  });
});
