import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { startServer } from './server.ts';

describe('startServer', () => {
  it('serves the app on the port it reports', async () => {
    const app = new Hono().get('/hello', (c) => c.text('hi'));
    const server = await startServer(app, { port: 0, hostname: '127.0.0.1' });
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}/hello`);
      expect(await response.text()).toBe('hi');
    } finally {
      await server.close();
    }
  });

  it('rejects when the port is taken', async () => {
    const first = await startServer(new Hono(), { port: 0, hostname: '127.0.0.1' });
    try {
      await expect(startServer(new Hono(), { port: first.port, hostname: '127.0.0.1' })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await first.close();
    }
  });

  it('finishes in-flight requests on close, then refuses new connections', async () => {
    const entered = Promise.withResolvers<void>();
    const release = Promise.withResolvers<void>();
    const app = new Hono().get('/slow', async (c) => {
      entered.resolve();
      await release.promise;
      return c.text('done');
    });
    const server = await startServer(app, { port: 0, hostname: '127.0.0.1' });
    const inFlight = fetch(`http://127.0.0.1:${server.port}/slow`);
    await entered.promise;

    let closed = false;
    const closing = server.close().then(() => {
      closed = true;
    });
    // The request is still held, so close() cannot have finished: give it every chance to.
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);

    release.resolve();
    const response = await inFlight;
    expect(await response.text()).toBe('done');
    await closing;
    expect(closed).toBe(true);
    await expect(fetch(`http://127.0.0.1:${server.port}/slow`)).rejects.toThrow();
  });
});
