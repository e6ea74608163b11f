import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

/** Anything with a fetch handler: a Hono app. */
export interface Fetchable {
  fetch: (request: Request) => Response | Promise<Response>;
}

export interface ServerOptions {
  /** 0 picks a free port; the real one is on the result. */
  port: number;
  hostname?: string;
}

export interface RunningServer {
  port: number;
  /** Stops accepting connections and resolves once in-flight requests are answered. */
  close(): Promise<void>;
}

/**
 * Serves `app` over HTTP with @hono/node-server. Resolves once listening; rejects when the
 * port cannot be bound (e.g. EADDRINUSE).
 */
export function startServer(app: Fetchable, { port, hostname = '0.0.0.0' }: ServerOptions): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    let closing = false;
    const server = serve({ fetch: (request) => app.fetch(request), port, hostname }, (info: AddressInfo) => {
      server.off('error', reject);
      resolve({
        port: info.port,
        close: () =>
          new Promise<void>((done, fail) => {
            closing = true;
            server.close((error) => (error ? fail(error) : done()));
          }),
      });
    }) as Server;
    // close() only drops sockets idle at that moment; a keep-alive socket whose response finishes
    // later would hold the server open until its timeout, so drop each one as it goes idle.
    server.on('request', (_request, response) => {
      response.once('finish', () => {
        if (closing) setImmediate(() => server.closeIdleConnections());
      });
    });
    server.once('error', reject);
  });
}
