import type { Context } from 'hono';
import { AppError } from './errors.ts';

/** 405: the path exists, but not with this method; `Allow` lists the ones it has. */
export class MethodNotAllowedError extends AppError {
  constructor(method: string, allowed: string[]) {
    super('method_not_allowed', 405, 'Method not allowed', {
      detail: `${method} is not allowed here; use ${allowed.join(', ')}.`,
      headers: { allow: allowed.join(', ') },
    });
  }
}

function patternOf(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/** The methods the app's routes accept for `path` (middleware registrations excluded). */
export function allowedMethods(routes: readonly { method: string; path: string }[], path: string): string[] {
  const methods = new Set<string>();
  for (const route of routes) {
    if (route.method === 'ALL' || route.path.endsWith('*')) continue;
    if (patternOf(route.path).test(path)) methods.add(route.method);
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

/** Throws 405 when another method would have matched `c`'s path; returns otherwise. */
export function assertMethodAllowed(c: Context, routes: readonly { method: string; path: string }[]): void {
  const allowed = allowedMethods(routes, c.req.path);
  if (allowed.length > 0 && !allowed.includes(c.req.method)) throw new MethodNotAllowedError(c.req.method, allowed);
}
