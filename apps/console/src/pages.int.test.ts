import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueMessageCount } from '@warren/testing';
import { createConsoleTestContext, itemCreated, park, type ConsoleTestContext } from './console.test-support.ts';

const queue = 'inventory.item-created';

describe('console pages', () => {
  let context: ConsoleTestContext;

  /** Logs in through the issuer's authorization endpoint, as a browser would; returns the session cookie. */
  async function login(subject: string, scope: string): Promise<string> {
    context.issuer.login({ subject, scope, name: `Operator ${subject}` });
    const start = await context.app.request('/auth/login?return_to=/groups');
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const approved = await fetch(authorize, { redirect: 'manual' });
    const callback = new URL(approved.headers.get('location') ?? '');
    const done = await context.app.request(callback.pathname + callback.search);
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('/groups');
    const cookie = done.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    return cookie.split(';')[0] ?? '';
  }

  const page = (path: string, cookie: string) => context.app.request(path, { headers: { cookie } });
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const postForm = (path: string, cookie: string, fields: Record<string, string>, origin = 'http://console.test') =>
    context.app.request(path, { method: 'POST', body: new URLSearchParams(fields).toString(), headers: { cookie, origin, 'content-type': 'application/x-www-form-urlencoded' } });

  beforeAll(async () => {
    context = await createConsoleTestContext();
    for (let index = 0; index < 2; index += 1) await park(context.vhost, itemCreated(), { queue, error: { type: 'ValidationError', message: `data.priceCents: expected number, got string at ${index}` } });
    await context.deps.indexer.refresh();
  });
  afterAll(() => context.close());

  it('sends a visitor without a session to the login, and keeps tokens out of the page', async () => {
    const response = await context.app.request('/groups');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/auth/login?return_to=%2Fgroups');
    const cookie = await login('operator-2', 'openid warren:read warren:operate');
    const html = await (await page('/groups', cookie)).text();
    expect(html).toContain('Operator operator-2');
    expect(html).toContain('ValidationError: data.priceCents: expected number, got string at');
    expect(html).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ/);
  });

  it('serves pages under a CSP without inline script', async () => {
    const cookie = await login('operator-3', 'warren:read warren:operate');
    const response = await page('/messages', cookie);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await response.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('refuses a form action without the session CSRF token or from another origin', async () => {
    const cookie = await login('operator-4', 'warren:read warren:operate');
    const html = await (await page('/groups', cookie)).text();
    const fingerprint = /name="fingerprint" value="([^"]+)"/.exec(html)?.[1] ?? '';
    expect((await postForm('/actions/retry', cookie, { fingerprint, _csrf: 'forged' })).status).toBe(403);
    expect((await postForm('/actions/retry', cookie, { fingerprint, _csrf: csrfOf(html) }, 'http://evil.test')).status).toBe(403);
    expect(await queueMessageCount(context.vhost, `${queue}.dlq`)).toBe(2);
    const accepted = await postForm('/actions/retry', cookie, { fingerprint, _csrf: csrfOf(html), dryRun: 'true' });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toMatch(/^\/activity\/\d+$/);
  });

  it('shows a read-only operator no action, and refuses their actions', async () => {
    const cookie = await login('viewer-2', 'warren:read');
    const html = await (await page('/groups', cookie)).text();
    expect(html).toContain('(read only)');
    expect(html).not.toContain('Retry group');
    expect(html).not.toContain('Purge');
    expect((await postForm('/actions/retry', cookie, { fingerprint: 'x', _csrf: csrfOf(html) })).status).toBe(403);
  });

  it('needs the typed count before a purge', async () => {
    const cookie = await login('operator-5', 'warren:read warren:operate');
    const groups = await (await page('/groups', cookie)).text();
    const fingerprint = /name="fingerprint" value="([^"]+)"/.exec(groups)?.[1] ?? '';
    const confirm = await (await page(`/purge?fingerprint=${fingerprint}`, cookie)).text();
    expect(confirm).toContain('Type <strong>2</strong> to confirm');
    const refused = await postForm('/actions/purge', cookie, { fingerprint, _csrf: csrfOf(confirm), confirm: '3' });
    expect(refused.status).toBe(400);
    expect(await queueMessageCount(context.vhost, `${queue}.dlq`)).toBe(2);
  });

  it('refuses a sign-in whose state it did not issue', async () => {
    const response = await context.app.request('/auth/callback?code=abc&state=forged');
    expect(response.status).toBe(400);
    expect(response.headers.get('set-cookie')).toBeNull();
  });
});
