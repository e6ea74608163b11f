import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import { assetPage } from './asset-page.ts';

const viewer = dirname(createRequire(import.meta.url).resolve('@asyncapi/react-component/package.json'));
// The AsyncAPI project's own viewer, served by the service itself (no CDN). A Map, so a lookup of
// `toString` or `__proto__` misses.
const assets = new Map<string, { path: string; contentType: string }>([
  ['viewer.js', { path: join(viewer, 'browser/standalone/index.js'), contentType: 'text/javascript; charset=utf-8' }],
  ['viewer.css', { path: join(viewer, 'styles/default.min.css'), contentType: 'text/css; charset=utf-8' }],
]);

function page(title: string): string {
  return assetPage({ title: `${title} — events`, stylesheet: '/asyncapi/assets/viewer.css', mountId: 'asyncapi', scripts: ['/asyncapi/assets/viewer.js', '/asyncapi/assets/init.js'] });
}

// Kept out of the page so the content security policy can forbid inline scripts.
const init = `AsyncApiStandalone.render({ schema: { url: '/asyncapi.json', requestOptions: { method: 'GET' } }, config: { show: { sidebar: true } } }, document.getElementById('asyncapi'));`;

/**
 * The viewer compiles the document's JSON Schemas into functions in the browser (Ajv), which a
 * policy without `'unsafe-eval'` forbids; only these pages get it, every other route keeps the
 * edge's strict policy.
 */
const viewerPolicy = "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

/**
 * `GET /asyncapi.json`: the service's AsyncAPI document, serialized once; `GET /asyncapi`: the same
 * document for people, rendered by the AsyncAPI project's viewer with every asset served here, so
 * it works offline. The document is data from `@warren/contracts`; this package does not change it.
 */
export function asyncApiRoute(document: object, { title = 'Warren' }: { title?: string } = {}): Hono {
  const body = JSON.stringify(document);
  const routes = new Hono();
  routes.get('/asyncapi.json', (c) => c.body(body, 200, { 'content-type': 'application/json; charset=utf-8' }));
  routes.get('/asyncapi', (c) => {
    c.header('content-security-policy', viewerPolicy);
    return c.html(page(title));
  });
  routes.get('/asyncapi/assets/init.js', (c) => c.body(init, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }));
  routes.get('/asyncapi/assets/:file', async (c) => {
    const asset = assets.get(c.req.param('file'));
    if (asset === undefined) return c.notFound();
    return c.body(await readFile(asset.path), 200, { 'content-type': asset.contentType, 'cache-control': 'public, max-age=86400' });
  });
  return routes;
}
