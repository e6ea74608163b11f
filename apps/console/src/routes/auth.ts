import type { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { scopes, sessionCookie, setSessionCookie, type ConsoleEnv } from '../auth/access.ts';
import { csrfTokenMatches } from '../auth/sessions.ts';
import type { ConsoleDeps } from '../console-deps.ts';
import { plainPage } from '../views/layout.ts';

const placeholderOrigin = 'http://console.invalid';

/**
 * Where a sign-in may send the browser back to: a path of this console only. Anything a browser
 * could read as another host (`//evil`, or `/\evil`, which browsers read as `//evil`, or a scheme)
 * gives `/groups`.
 */
export function safeReturnPath(value: string | undefined): string {
  if (!value?.startsWith('/')) return '/groups';
  try {
    const url = new URL(value, placeholderOrigin);
    return url.origin === placeholderOrigin ? `${url.pathname}${url.search}` : '/groups';
  } catch {
    return '/groups';
  }
}


/**
 * `/auth/login` starts the authorization-code flow with PKCE, `/auth/callback` completes it and
 * sets the session cookie, `/auth/logout` (POST with the CSRF token) ends the session.
 */
export function registerAuthRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const { config, oidc, sessions, verifier, logger } = deps;
  const ttlMs = config.CONSOLE_SESSION_HOURS * 3_600_000;
  const publicUrl = (url: string) => (config.CONSOLE_PUBLIC_URL ?? new URL(url).origin).replace(/\/$/, '');
  const secure = (url: string) => publicUrl(url).startsWith('https:');

  app.get('/auth/login', async (c) => {
    const returnTo = safeReturnPath(c.req.query('return_to'));
    if (!oidc) return c.redirect(returnTo, 302);
    const target = await oidc.begin(`${publicUrl(c.req.url)}/auth/callback`, returnTo);
    return c.redirect(target.toString(), 302);
  });

  app.get('/auth/callback', async (c) => {
    if (!oidc || !verifier) return c.redirect('/groups', 302);
    const callback = new URL(c.req.url);
    const current = new URL(`${publicUrl(c.req.url)}/auth/callback${callback.search}`);
    try {
      const login = await oidc.complete(current);
      const principal = await verifier.verify(login.accessToken);
      if (!principal.scopes.has(scopes.read)) {
        return c.html(plainPage('Access denied', html`<p>Your account does not have the scope <code>${scopes.read}</code>.</p>`), 403);
      }
      const id = await sessions.create({ subject: principal.subject, name: login.name, scopes: principal.scopes, idToken: login.idToken, ttlMs });
      setSessionCookie(c, id, ttlMs, secure(c.req.url));
      return c.redirect(safeReturnPath(login.returnTo), 302);
    } catch (error) {
      logger.warn({ err: error }, 'console login failed');
      return c.html(plainPage('Sign-in failed', html`<p>The sign-in could not be completed. <a href="/auth/login">Try again</a>.</p>`), 400);
    }
  });

  app.post('/auth/logout', async (c) => {
    const id = getCookie(c, sessionCookie);
    const session = await sessions.get(id);
    const form = await c.req.parseBody();
    if (session && csrfTokenMatches(session, typeof form['_csrf'] === 'string' ? form['_csrf'] : undefined)) await sessions.delete(id);
    setSessionCookie(c, '', 0, secure(c.req.url));
    return c.html(plainPage('Signed out', html`<p><a href="/auth/login">Sign in again</a></p>`));
  });
}
