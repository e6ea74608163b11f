import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleTestContext, type ConsoleTestContext } from './console.test-support.ts';
import { queueTable } from './views/queues.ts';

/** A stand-in for a service's `/metrics` whose counters grow by `step` at each scrape. */
async function countingMetrics(step: number): Promise<{ url: string; server: Server }> {
  let scrapes = 0;
  const server = createServer((_request, response) => {
    scrapes += 1;
    response.setHeader('content-type', 'application/openmetrics-text; version=1.0.0; charset=utf-8');
    response.end(
      [
        'process_start_time_seconds 1700000000',
        `warren_messages_published_total ${scrapes * step}`,
        `warren_messages_consumed_total{handler="catalog.example",result="applied"} ${scrapes * step}`,
        '# EOF',
        '',
      ].join('\n'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}/metrics`, server };
}

describe('message rates on the live state', () => {
  let context: ConsoleTestContext;
  let catalog: { url: string; server: Server };
  let token: string;

  beforeAll(async () => {
    catalog = await countingMetrics(5);
    // Port 9 (discard) has no listener here: inventory does not answer.
    context = await createConsoleTestContext({ metricsUrls: { catalog: catalog.url, inventory: 'http://127.0.0.1:9/metrics' } });
    token = await context.token('warren:read');
  });
  afterAll(async () => {
    await context.close();
    await new Promise((resolve) => catalog.server.close(resolve));
  });

  type State = { services: { service: string; published: number | null; error: string | null }[]; queues: { queue: string; acked: number | null; ratesError: string | null }[] };
  const state = async (): Promise<State> => (await (await context.app.request('/api/v1/queues', { headers: { authorization: `Bearer ${token}` } })).json()) as State;

  it('gives each service’s publish rate since the previous sample, and "unreachable" for one that does not answer', async () => {
    const first = await state();
    expect(first.services).toEqual([
      { service: 'catalog', published: null, error: null },
      { service: 'inventory', published: null, error: 'unreachable' },
    ]);
    const second = await state();
    expect(second.services[0]?.published).toBeGreaterThan(0);
    expect(second.services[1]).toEqual({ service: 'inventory', published: null, error: 'unreachable' });
    // A consumer queue takes its rates from the service consuming it.
    const inventoryQueue = second.queues.find((queue) => queue.queue === 'inventory.item-created');
    expect(inventoryQueue).toMatchObject({ acked: null, ratesError: 'unreachable' });
    expect(second.queues.find((queue) => queue.queue.startsWith('audit.'))).toMatchObject({ acked: null, ratesError: 'not measured' });
  });

  it('still renders the live state with the unreachable service', async () => {
    const markup = String(await queueTable(await context.deps.queueState.sample(), context.deps.queueState));
    expect(markup).toMatch(/<tr data-service="inventory"><th scope="row">inventory<\/th><td class="num error" data-rate="published">unreachable<\/td>/);
    expect(markup).toMatch(/<tr data-queue="inventory.item-created">[\s\S]*?data-rate="acked">unreachable</);
    expect(markup).toMatch(/<tr data-service="catalog"><th scope="row">catalog<\/th><td class="num" data-rate="published">\d+\.\d\d<\/td>/);
  });
});
