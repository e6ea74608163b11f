// What the HTTP edge's middleware costs per request, in CPU: no database, no broker. The edge is
// built as the services build it (`createEdge` with the options `startService` passes: metrics
// on, a pino logger at info, auth and rate limit off as in the bench) with one trivial
// `POST /api/v1/items` that validates a body as the catalog's route does and answers 201 JSON.
// Beside it, the same stack assembled here from @warren/http's parts, once whole and once
// without each middleware, so each one's share can be read off. Prints µs of CPU per request
// (process.cpuUsage: user + system), the median of EDGE_ROUNDS rounds of EDGE_REQUESTS requests,
// variants interleaved within each round so that a noisy neighbour hits them alike:
//   in-process  app.request() in this process: middleware and Hono only, no sockets
//   socket      a server child on @hono/node-server (startServer), driven over keep-alive HTTP
//               by this process with EDGE_CONCURRENCY requests in flight; only the child's CPU
//
//   npm run bench:edge -w @warren/bench          EDGE_MODE=in-process|socket|both (both)
import { fork, type ChildProcess } from 'node:child_process';
import { openSync, writeSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { createItemRequest } from '@warren/contracts';
import {
  bodyLimit,
  createEdge,
  defaultCaller,
  errorHandler,
  httpMetrics,
  notFoundHandler,
  requestId,
  requestLogger,
  securityHeaders,
  utf8Body,
  writeHeaders,
  type EdgeEnv,
} from '@warren/http';
import { newEventId } from '@warren/messaging';
import { createLogger, createMetricsRegistry, metricObservers, type Logger } from '@warren/telemetry';

const requests = Number(process.env['EDGE_REQUESTS'] ?? 2_000);
const rounds = Number(process.env['EDGE_ROUNDS'] ?? 7);
const concurrency = Number(process.env['EDGE_CONCURRENCY'] ?? 8);
const mode = process.env['EDGE_MODE'] ?? 'both';

/** The log lines go nowhere, one write each: the services' sonic-boom on stdout writes in batches, so this is its upper bound. */
function nullLogger(): Logger {
  const fd = openSync('/dev/null', 'w');
  const destination = { write: (line: string) => void writeSync(fd, line) };
  return createLogger({ service: 'catalog', level: 'info', destination: destination as unknown as NodeJS.WritableStream });
}

function metricsOptions() {
  const metrics = createMetricsRegistry({ service: 'catalog' });
  return { observer: metricObservers(metrics).http, exposition: { contentType: metrics.registry.contentType, render: () => metrics.registry.metrics() } };
}

/** `POST /api/v1/items` as the catalog declares it, answering as `respondIdempotently` does (a Response with a header record), without storing anything. */
function addItemRoute(app: OpenAPIHono<EdgeEnv>): void {
  const create = createRoute({
    method: 'post',
    path: '/api/v1/items',
    request: { headers: writeHeaders, body: { required: true, content: { 'application/json': { schema: createItemRequest } } } },
    responses: { 201: { description: 'Created', content: { 'application/json': { schema: z.object({ id: z.string() }) } } } },
  });
  app.openapi(create, (c) => {
    const input = c.req.valid('json');
    const created = { id: newEventId(), ...input, createdAt: new Date().toISOString() };
    return new Response(JSON.stringify(created), { status: 201, headers: { 'content-type': 'application/json', location: `/api/v1/items/${created.id}` } }) as never;
  });
}

const parts = ['metrics', 'requestId', 'defaultCaller', 'requestLogger', 'securityHeaders', 'bodyLimit', 'utf8Body'] as const;
type Part = (typeof parts)[number];

/** `createEdge`'s middleware in its order, minus `omit`; the error and not-found handlers stay. */
function assembled(omit: ReadonlySet<Part>): OpenAPIHono<EdgeEnv> {
  const logger = nullLogger();
  const app = new OpenAPIHono<EdgeEnv>();
  const stack: [Part, () => MiddlewareHandler<EdgeEnv>][] = [
    ['metrics', () => httpMetrics(metricsOptions().observer)],
    ['requestId', () => requestId()],
    ['defaultCaller', () => defaultCaller()],
    ['requestLogger', () => requestLogger({ logger })],
    ['securityHeaders', () => securityHeaders()],
    ['bodyLimit', () => bodyLimit()],
    ['utf8Body', () => utf8Body()],
  ];
  for (const [part, make] of stack) if (!omit.has(part)) app.use(make());
  app.onError(errorHandler({ logger }));
  app.notFound(notFoundHandler);
  addItemRoute(app);
  return app;
}

function variants(): Map<string, () => OpenAPIHono<EdgeEnv>> {
  const built = new Map<string, () => OpenAPIHono<EdgeEnv>>();
  built.set('createEdge (as the services)', () => {
    const app = createEdge({ service: 'catalog', version: 'bench', logger: nullLogger(), metrics: metricsOptions(), checks: {} });
    addItemRoute(app);
    return app;
  });
  built.set('assembled, all', () => assembled(new Set()));
  for (const part of parts) built.set(`  without ${part}`, () => assembled(new Set([part])));
  built.set('route alone', () => assembled(new Set(parts)));
  return built;
}

let sequence = 0;
function itemBody(): string {
  sequence += 1;
  return JSON.stringify({ name: 'Desk lamp', sku: `LAMP-${sequence}`, priceCents: 2599 });
}

function headers(body: string): Record<string, string> {
  return { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'idempotency-key': `key-${sequence}` };
}

function cpuMicros(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** Each part's share: the median over rounds of (whole stack − stack without it), paired within a round so that drift between rounds cancels. */
function printTable(title: string, results: Map<string, number[]>): void {
  const whole = results.get('assembled, all') ?? [];
  console.log(`\n${title}: µs CPU per request, median (and least) of ${rounds} rounds × ${requests} requests`);
  for (const [name, samples] of results) {
    const share = name.startsWith('  without') ? `   ${median(samples.map((sample, round) => (whole[round] ?? Number.NaN) - sample)).toFixed(1).padStart(6)} µs for it` : '';
    console.log(`${name.padEnd(32)} ${median(samples).toFixed(1).padStart(7)} (${Math.min(...samples).toFixed(1).padStart(6)})${share}`);
  }
}

async function inProcess(): Promise<void> {
  const apps = [...variants()].map(([name, build]) => [name, build()] as const);
  const results = new Map<string, number[]>(apps.map(([name]) => [name, []]));
  const drive = async (app: OpenAPIHono<EdgeEnv>, count: number): Promise<void> => {
    for (let i = 0; i < count; i++) {
      const body = itemBody();
      const response = await app.request('/api/v1/items', { method: 'POST', headers: headers(body), body });
      if (response.status !== 201) throw new Error(`expected 201, got ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
    }
  };
  for (const [, app] of apps) await drive(app, 2_000);
  for (let round = 0; round < rounds; round++) {
    for (const [name, app] of apps) {
      const started = process.cpuUsage();
      await drive(app, requests);
      results.get(name)?.push(cpuMicros(started) / requests);
    }
  }
  printTable('in-process (app.request)', results);
}

/** The server side of the socket mode: every variant on its own port; answers `mark` with its CPU so far. */
async function serveVariants(): Promise<void> {
  const { startServer } = await import('@warren/http');
  const ports: Record<string, number> = {};
  for (const [name, build] of variants()) ports[name] = (await startServer(build(), { port: 0, hostname: '127.0.0.1' })).port;
  process.on('message', (message) => {
    if (message === 'mark') process.send?.({ cpu: process.cpuUsage() });
    if (message === 'stop') process.exit(0);
  });
  process.send?.({ ports });
}

function ask<T>(child: ChildProcess, message: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (reply) => resolve(reply as T));
    child.send(message);
  });
}

function post(agent: Agent, port: number): Promise<void> {
  const body = itemBody();
  return new Promise((resolve, reject) => {
    const outgoing = request({ agent, host: '127.0.0.1', port, method: 'POST', path: '/api/v1/items', headers: headers(body) }, (response) => {
      response.resume();
      response.once('end', () => (response.statusCode === 201 ? resolve() : reject(new Error(`expected 201, got ${response.statusCode}`))));
    });
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}

async function overSockets(): Promise<void> {
  const child = fork(new URL(import.meta.url).pathname, { env: { ...process.env, EDGE_ROLE: 'server' }, execArgv: ['--disable-warning=ExperimentalWarning'] });
  try {
    const { ports } = await new Promise<{ ports: Record<string, number> }>((resolve) => child.once('message', (reply) => resolve(reply as { ports: Record<string, number> })));
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const drive = async (port: number, count: number): Promise<void> => {
      let next = 0;
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (next++ < count) await post(agent, port);
      }));
    };
    const results = new Map<string, number[]>(Object.keys(ports).map((name) => [name, []]));
    for (const port of Object.values(ports)) await drive(port, 2_000);
    for (let round = 0; round < rounds; round++) {
      for (const [name, port] of Object.entries(ports)) {
        const before = await ask<{ cpu: NodeJS.CpuUsage }>(child, 'mark');
        await drive(port, requests);
        const after = await ask<{ cpu: NodeJS.CpuUsage }>(child, 'mark');
        results.get(name)?.push((after.cpu.user - before.cpu.user + after.cpu.system - before.cpu.system) / requests);
      }
    }
    agent.destroy();
    printTable(`socket (@hono/node-server, ${concurrency} in flight; the server process's CPU)`, results);
  } finally {
    child.send('stop');
  }
}

if (process.env['EDGE_ROLE'] === 'server') {
  await serveVariants();
} else {
  console.log(`node ${process.version}`);
  if (mode === 'in-process' || mode === 'both') await inProcess();
  if (mode === 'socket' || mode === 'both') await overSockets();
}
