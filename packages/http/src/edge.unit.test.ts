import { Writable } from 'node:stream';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@warren/telemetry';
import { createEdge } from './edge.ts';
import { ConflictError, NotFoundError } from './errors.ts';

function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ service: 'edge-test', destination }) };
}

function buildApp(bodyLimitBytes?: number) {
  const logs = captureLogs();
  const app = createEdge({ service: 'edge-test', version: '1.2.3', logger: logs.logger, bodyLimitBytes });
  app.get('/items/:id', (c) => c.json({ id: c.req.param('id'), requestId: c.get('requestId'), caller: c.get('caller') }));
  app.get('/missing', () => {
    throw new NotFoundError('Item 42 does not exist.');
  });
  app.get('/busy', () => {
    throw new ConflictError('Try later.', { retryAfterSeconds: 7, extensions: { item_id: '42' } });
  });
  app.get('/crash', () => {
    throw new Error('select secret_column from users where password = $1');
  });
  app.get('/db-down', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    throw new Error('Failed query: select 1', { cause: refused });
  });
  app.get('/forbidden', () => {
    throw new HTTPException(403, { message: 'Not yours.' });
  });
  app.post('/echo', async (c) => c.json({ length: (await c.req.text()).length }));
  return { app, logs };
}

describe('createEdge', () => {
  it('generates a request id, exposes it on the context and echoes it', async () => {
    const { app } = buildApp();
    const response = await app.request('/items/7');
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await response.json()).toEqual({ id: '7', requestId: id, caller: 'anonymous' });
  });

  it('keeps a sane inbound request id', async () => {
    const { app } = buildApp();
    const response = await app.request('/items/7', { headers: { 'X-Request-Id': 'client-42:retry/1@edge.a' } });
    expect(response.headers.get('x-request-id')).toBe('client-42:retry/1@edge.a');
  });

  it.each([['has spaces and <tags>'], ['x'.repeat(129)], ['x'.repeat(20_000)], ['new\u00e9line']])('replaces an insane inbound request id (%#)', async (inbound) => {
    const { app } = buildApp();
    const response = await app.request('/items/7', { headers: { 'X-Request-Id': inbound } });
    const id = response.headers.get('x-request-id');
    expect(id).not.toBe(inbound);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('renders an AppError as problem+json with instance and request_id', async () => {
    const { app } = buildApp();
    const response = await app.request('/missing', { headers: { 'X-Request-Id': 'req-1' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('x-request-id')).toBe('req-1');
    expect(await response.json()).toEqual({
      type: 'urn:warren:problem:not_found',
      title: 'Not found',
      status: 404,
      detail: 'Item 42 does not exist.',
      instance: '/missing',
      request_id: 'req-1',
    });
  });

  it('adds extensions and Retry-After from the error', async () => {
    const { app } = buildApp();
    const response = await app.request('/busy');
    expect(response.status).toBe(409);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toMatchObject({ type: 'urn:warren:problem:conflict', item_id: '42' });
  });

  it('answers an unexpected error with a generic 500 and logs the real one', async () => {
    const { app, logs } = buildApp();
    const response = await app.request('/crash', { headers: { 'X-Request-Id': 'req-500' } });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toMatch(/secret_column|password|at .*\.ts/);
    expect(JSON.parse(text)).toEqual({
      type: 'urn:warren:problem:internal_error',
      title: 'Internal server error',
      status: 500,
      detail: 'An unexpected error occurred.',
      instance: '/crash',
      request_id: 'req-500',
    });
    const logged = logs.lines.find((line) => line['msg'] === 'unhandled error');
    expect(logged).toMatchObject({ request_id: 'req-500', err: { message: expect.stringContaining('secret_column') } });
  });

  it('answers an unreachable database with 503 and Retry-After', async () => {
    const { app } = buildApp();
    const response = await app.request('/db-down');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    const body = await response.json();
    expect(body).toMatchObject({ type: 'urn:warren:problem:service_unavailable', status: 503 });
    expect(JSON.stringify(body)).not.toContain('5432');
  });

  it('renders a Hono HTTPException as a problem with its status', async () => {
    const { app } = buildApp();
    const response = await app.request('/forbidden');
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ type: 'urn:warren:problem:forbidden', title: 'Forbidden', detail: 'Not yours.' });
  });

  it('answers an unknown route with a 404 problem', async () => {
    const { app } = buildApp();
    const response = await app.request('/nowhere', { method: 'DELETE' });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(await response.json()).toMatchObject({ type: 'urn:warren:problem:not_found', instance: '/nowhere', detail: 'No route for DELETE /nowhere.' });
  });

  it('rejects a body over the limit with a 413 problem, with or without Content-Length', async () => {
    const { app } = buildApp(16);
    const declared = await app.request('/echo', { method: 'POST', body: 'x'.repeat(17), headers: { 'content-length': '17' } });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ type: 'urn:warren:problem:payload_too_large', status: 413 });
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('x'.repeat(10)));
        controller.enqueue(new TextEncoder().encode('x'.repeat(10)));
        controller.close();
      },
    });
    const streamed = await app.request('/echo', { method: 'POST', body: chunks, duplex: 'half' });
    expect(streamed.status).toBe(413);
    const within = await app.request('/echo', { method: 'POST', body: 'x'.repeat(16) });
    expect(await within.json()).toEqual({ length: 16 });
  });

  it('logs one line per request with the route template, status and duration', async () => {
    const { app, logs } = buildApp();
    await app.request('/items/7', { headers: { 'X-Request-Id': 'req-log' } });
    const lines = logs.lines.filter((line) => line['msg'] === 'request completed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ request_id: 'req-log', method: 'GET', path: '/items/7', route: '/items/:id', status: 200, service: 'edge-test' });
    expect(typeof lines[0]!['duration_ms']).toBe('number');
  });

  it('serves the AsyncAPI document it is given at /asyncapi.json, and none when given none', async () => {
    const document = { asyncapi: '3.0.0', info: { title: 'Warren edge-test events', version: '1.0.0' }, channels: {} };
    const app = createEdge({ service: 'edge-test', version: '1.2.3', logger: captureLogs().logger, asyncApi: document });
    const response = await app.request('/asyncapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(document);
    expect((await buildApp().app.request('/asyncapi.json')).status).toBe(404);
  });

  it('renders the AsyncAPI document for people at /asyncapi with assets of its own, and only that page may evaluate code', async () => {
    const document = { asyncapi: '3.0.0', info: { title: 'Warren edge-test events', version: '1.0.0' }, channels: {} };
    const app = createEdge({ service: 'edge-test', version: '1.2.3', logger: captureLogs().logger, asyncApi: document });
    const page = await app.request('/asyncapi');
    expect(page.status).toBe(200);
    const html = await page.text();
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((match) => match[1]);
    const styles = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((match) => match[1]);
    expect(scripts).toEqual(['/asyncapi/assets/viewer.js', '/asyncapi/assets/init.js']);
    expect(html).not.toMatch(/<script>|https?:\/\//);
    for (const asset of [...scripts, ...styles]) {
      const response = await app.request(asset ?? '');
      expect(response.status, asset).toBe(200);
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
    }
    expect(await (await app.request('/asyncapi/assets/init.js')).text()).toContain("url: '/asyncapi.json'");
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self' 'unsafe-eval'");
    expect((await app.request('/asyncapi.json')).headers.get('content-security-policy')).toContain("script-src 'self';");
    expect((await app.request('/docs')).headers.get('content-security-policy')).not.toContain('unsafe-eval');
    expect((await app.request('/asyncapi/assets/__proto__')).status).toBe(404);
  });
});
