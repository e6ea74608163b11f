import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import { assetPage } from './asset-page.ts';

const assetsDirectory = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
// A Map, not an object literal: a lookup of `toString`, `constructor` or `__proto__` must miss.
const assets = new Map<string, string>([
  ['swagger-ui.css', 'text/css; charset=utf-8'],
  ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
]);

function page(title: string): string {
  return assetPage({ title, stylesheet: '/docs/assets/swagger-ui.css', mountId: 'reference', scripts: ['/docs/assets/swagger-ui-bundle.js', '/docs/assets/init.js'] });
}

// Kept out of the page so the content security policy can forbid inline scripts.
const init = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#reference', deepLinking: true, persistAuthorization: true, displayRequestDuration: true });`;

/**
 * `GET /docs`: an interactive reference of `/openapi.json`, every asset served by the service
 * itself (no CDN), so it works with no internet access. Only the listed assets are served; any
 * other name is a 404.
 */
export function docsRoutes({ title }: { title: string }): Hono {
  const routes = new Hono();
  routes.get('/docs', (c) => c.html(page(title)));
  routes.get('/docs/assets/init.js', (c) => c.body(init, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }));
  routes.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    const contentType = assets.get(file);
    if (contentType === undefined) return c.notFound();
    return c.body(await readFile(join(assetsDirectory, file)), 200, { 'content-type': contentType, 'cache-control': 'public, max-age=86400' });
  });
  return routes;
}
