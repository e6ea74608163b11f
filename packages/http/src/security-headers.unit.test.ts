import { Hono, type MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { describe, expect, it } from 'vitest';
import { securityHeaders } from './security-headers.ts';

/** What the edge set up with Hono's middleware before it had its own. */
function honoSecureHeaders(crossOrigin: boolean): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'], frameAncestors: ["'none'"] },
    crossOriginResourcePolicy: crossOrigin ? 'cross-origin' : 'same-origin',
    overwrite: false,
  });
}

function appWith(middleware: MiddlewareHandler): Hono {
  const app = new Hono();
  app.use(middleware);
  app.get('/json', (c) => c.json({ ok: true }, 201));
  app.get('/raw', () => new Response('{}', { status: 201, headers: { 'content-type': 'application/json', location: '/items/1' } }));
  app.get('/own-policy', (c) => c.html('<p>viewer</p>', 200, { 'content-security-policy': "script-src 'self' 'unsafe-eval'", 'x-frame-options': 'DENY' }));
  app.get('/powered', (c) => c.text('x', 200, { 'x-powered-by': 'Hono', 'set-cookie': 'a=1' }));
  app.get('/empty', (c) => c.body(null, 204));
  return app;
}

async function answer(app: Hono, path: string): Promise<{ status: number; headers: [string, string][]; body: string }> {
  const response = await app.request(path);
  return { status: response.status, headers: [...response.headers], body: await response.text() };
}

describe('securityHeaders', () => {
  it.each([false, true])('answers with the very headers of Hono’s secureHeaders as the edge configured it (cross-origin %s)', async (crossOrigin) => {
    const ours = appWith(securityHeaders({ crossOrigin }));
    const hono = appWith(honoSecureHeaders(crossOrigin));
    for (const path of ['/json', '/raw', '/own-policy', '/powered', '/empty', '/missing']) {
      expect(await answer(ours, path), path).toEqual(await answer(hono, path));
    }
  });

  it('keeps a header the route set itself and drops X-Powered-By', async () => {
    const app = appWith(securityHeaders());
    const viewer = await app.request('/own-policy');
    expect(viewer.headers.get('content-security-policy')).toBe("script-src 'self' 'unsafe-eval'");
    expect(viewer.headers.get('x-frame-options')).toBe('DENY');
    expect(viewer.headers.get('x-content-type-options')).toBe('nosniff');
    const powered = await app.request('/powered');
    expect(powered.headers.has('x-powered-by')).toBe(false);
    expect(powered.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });
});
