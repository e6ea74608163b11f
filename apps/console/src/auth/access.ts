import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { actorSchema } from '@warren/contracts';
import { ForbiddenError, UnauthenticatedError, type EdgeEnv, type Principal } from '@warren/http';
import type { Session, SessionStore } from './sessions.ts';

/** The two scopes of the console: seeing, and acting. */
export const scopes = { read: 'warren:read', operate: 'warren:operate' } as const;

/** The console's request context: the edge's values plus who is asking and what they may do. */
export interface ConsoleEnv {
  Variables: EdgeEnv['Variables'] & {
    scopes: ReadonlySet<string>;
    /** The browser session, on the pages (absent on the API). */
    session?: Session;
    sessionId?: string;
  };
}

export const sessionCookie = 'warren_console_session';

export interface AccessOptions {
  /** Verifies bearer tokens; undefined when authentication is off (local development). */
  verifier: { verify(token: string): Promise<Principal> } | undefined;
}

/**
 * Authenticates an API request by its bearer token and requires `warren:read` for reads and
 * `warren:operate` for anything else; sets `caller` and `scopes`. With authentication off, every
 * caller is `anonymous` with both scopes.
 */
export function apiAccess({ verifier }: AccessOptions): MiddlewareHandler<ConsoleEnv> {
  return async function requireBearer(c, next) {
    if (c.req.method === 'OPTIONS') return next();
    let principal: Principal = { subject: 'anonymous', scopes: new Set([scopes.read, scopes.operate]) };
    if (verifier) {
      const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(c.req.header('authorization') ?? '');
      if (!match?.[1]) throw new UnauthenticatedError('A bearer token is required.');
      principal = await verifier.verify(match[1]);
      if (!actorSchema.safeParse(principal.subject).success) throw new UnauthenticatedError("The token's sub claim is not acceptable.", { error: 'invalid_token' });
    }
    const needed = c.req.method === 'GET' || c.req.method === 'HEAD' ? scopes.read : scopes.operate;
    if (!principal.scopes.has(needed)) throw new ForbiddenError(needed);
    c.set('caller', principal.subject);
    c.set('scopes', principal.scopes);
    await next();
  };
}

/**
 * Reads the browser session from its cookie and sets `session`, `caller` and `scopes`; pages
 * without one redirect to the login (HTML) or answer 401 (htmx). With authentication off, a
 * session for `anonymous` with both scopes is made on the first visit, so forms still carry a
 * CSRF token.
 */
export function pageAccess({ sessions, authOn, ttlMs, secureCookie }: { sessions: SessionStore; authOn: boolean; ttlMs: number; secureCookie: boolean }): MiddlewareHandler<ConsoleEnv> {
  return async function requireSession(c, next) {
    let id = getCookie(c, sessionCookie);
    let session = await sessions.get(id);
    if (!session && !authOn) {
      id = await sessions.create({ subject: 'anonymous', scopes: [scopes.read, scopes.operate], ttlMs });
      setSessionCookie(c, id, ttlMs, secureCookie);
      session = await sessions.get(id);
    }
    if (!session || !id) {
      if (c.req.header('hx-request')) return c.body(null, 401, { 'hx-redirect': '/auth/login' });
      const returnTo = c.req.method === 'GET' ? new URL(c.req.url).pathname + new URL(c.req.url).search : '/';
      return c.redirect(`/auth/login?return_to=${encodeURIComponent(returnTo)}`, 302);
    }
    if (!session.scopes.has(scopes.read)) throw new ForbiddenError(scopes.read);
    c.set('session', session);
    c.set('sessionId', id);
    c.set('caller', session.subject);
    c.set('scopes', session.scopes);
    await next();
  };
}

/** The session cookie: HttpOnly, SameSite=Lax, Secure behind HTTPS, for the whole console. */
export function setSessionCookie(c: Parameters<MiddlewareHandler>[0], id: string, ttlMs: number, secure: boolean): void {
  const attributes = [`${sessionCookie}=${id}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${Math.floor(ttlMs / 1_000)}`, ...(secure ? ['Secure'] : [])];
  c.header('set-cookie', attributes.join('; '), { append: true });
}
