import { describe, expect, it } from 'vitest';
import { createLogger } from '@warren/telemetry';
import { createEdge } from './edge.ts';
import { rateLimit } from './rate-limit.ts';
import { Hono } from 'hono';
import type { EdgeEnv } from './context.ts';
import { errorHandler } from './problem.ts';

const logger = createLogger({ service: 'limits-test', level: 'silent' });

describe('edge limits and hygiene', () => {
  it('answers a known path with the wrong method 405 problem+json with Allow', async () => {
    const app = createEdge({ service: 'catalog', version: 't', logger });
    app.get('/api/v1/items/:id', (c) => c.json({}));
    app.post('/api/v1/items', (c) => c.json({}, 201));
    const response = await app.request('/api/v1/items/123', { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect((await app.request('/api/v1/nothing-here')).status).toBe(404);
  });

  it('limits each caller to its budget with 429 and Retry-After, other callers unaffected', async () => {
    let now = 0;
    const app = new Hono<EdgeEnv>();
    app.use(async (c, next) => {
      c.set('caller', c.req.header('x-caller') ?? 'anonymous');
      await next();
    });
    app.use(rateLimit({ perMinute: 3, now: () => now }));
    app.onError(errorHandler({ logger }));
    app.get('/', (c) => c.text('ok'));
    const as = (caller: string) => app.request('/', { headers: { 'x-caller': caller } });
    for (let i = 0; i < 3; i += 1) expect((await as('alice')).status).toBe(200);
    const limited = await as('alice');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('20');
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect((await as('bob')).status).toBe(200);
    now += 20_000;
    expect((await as('alice')).status).toBe(200);
  });

  it('answers CORS preflights only for configured origins and sets secure headers', async () => {
    const app = createEdge({ service: 'catalog', version: 't', logger, corsOrigins: ['https://app.example'] });
    app.post('/api/v1/items', (c) => c.json({}, 201));
    const allowed = await app.request('/api/v1/items', { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
    const denied = await app.request('/api/v1/items', { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    const plain = await app.request('/openapi.json');
    expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
    expect(plain.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('serves the docs page and its assets from the service itself', async () => {
    const app = createEdge({ service: 'catalog', version: 't', logger });
    const page = await (await app.request('/docs')).text();
    expect(page).not.toMatch(/https?:\/\//);
    for (const asset of [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? '')) {
      const response = await app.request(asset);
      expect(response.status, asset).toBe(200);
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(10);
    }
  });

  it('answers 404, never 500, for a docs asset named like an object property', async () => {
    const app = createEdge({ service: 'catalog', version: 't', logger });
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'package.json']) {
      const response = await app.request(`/docs/assets/${name}`);
      expect(response.status, name).toBe(404);
      expect(response.headers.get('content-type'), name).toContain('application/problem+json');
    }
  });
});
