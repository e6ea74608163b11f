import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Hono } from 'hono';
import type { ConsoleEnv } from '../auth/access.ts';

const require = createRequire(import.meta.url);
const own = (name: string) => readFileSync(new URL(`../assets/${name}`, import.meta.url));

/** The console's static files, served by itself (the CSP allows scripts from 'self' only). */
const assets: Record<string, { body: Buffer; type: string }> = {
  'htmx.min.js': { body: readFileSync(require.resolve('htmx.org/dist/htmx.min.js')), type: 'text/javascript; charset=utf-8' },
  'console.js': { body: own('console.js'), type: 'text/javascript; charset=utf-8' },
  'console.css': { body: own('console.css'), type: 'text/css; charset=utf-8' },
};

export function registerAssetRoutes(app: Hono<ConsoleEnv>): void {
  app.get('/assets/:name', (c) => {
    const asset = Object.hasOwn(assets, c.req.param('name')) ? assets[c.req.param('name')] : undefined;
    if (!asset) return c.notFound();
    return c.body(new Uint8Array(asset.body), 200, { 'content-type': asset.type, 'cache-control': 'public, max-age=3600' });
  });
}
