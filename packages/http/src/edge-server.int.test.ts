import { describe, expect, it } from 'vitest';
import { echoEdge } from '../test/echo-edge.ts';
import { startServer } from './server.ts';

/** An edge on a real socket, as services run it: bodies arrive through @hono/node-server's request, not an in-process Request. */
async function withEchoServer(test: (url: string) => Promise<void>): Promise<void> {
  const app = echoEdge({ bodyLimitBytes: 64 });
  const server = await startServer(app, { port: 0, hostname: '127.0.0.1' });
  try {
    await test(`http://127.0.0.1:${server.port}/api/v1/echo`);
  } finally {
    await server.close();
  }
}

/** A body sent chunked (no Content-Length), the way a streaming client sends it. */
function streamed(text: string): { body: ReadableStream<Uint8Array>; duplex: 'half' } {
  const bytes = new TextEncoder().encode(text);
  return { body: new ReadableStream({ start: (controller) => (controller.enqueue(bytes), controller.close()) }), duplex: 'half' };
}

describe('the edge over HTTP', () => {
  it('reads bodies with and without Content-Length, and answers with the request id and secure headers', async () => {
    await withEchoServer(async (url) => {
      const name = 'Lampe 💡';
      const declared = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'req-1' }, body: JSON.stringify({ name }) });
      expect(declared.status).toBe(200);
      expect(await declared.json()).toEqual({ name });
      expect(declared.headers.get('x-request-id')).toBe('req-1');
      expect(declared.headers.get('x-content-type-options')).toBe('nosniff');
      const chunked = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, ...streamed(JSON.stringify({ name })) });
      expect(chunked.status).toBe(200);
      expect(await chunked.json()).toEqual({ name });
      expect(chunked.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  it('refuses a body over the limit with 413, declared or streamed, and bytes that are not UTF-8 with 400', async () => {
    await withEchoServer(async (url) => {
      const large = JSON.stringify({ name: 'x'.repeat(100) });
      const declared = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: large });
      expect(declared.status).toBe(413);
      expect(declared.headers.get('content-type')).toContain('application/problem+json');
      const chunked = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, ...streamed(large) });
      expect(chunked.status).toBe(413);
      const invalid = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]) });
      expect(invalid.status).toBe(400);
      expect(await invalid.json()).toMatchObject({ detail: 'The request body is not valid UTF-8.' });
    });
  });
});
