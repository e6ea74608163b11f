import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishRaw } from '@warren/messaging/testing';
import { createTestVhost, infrastructure, serviceNames, startOtlpReceiver, startSystem, waitFor, type RunningSystem, type TestVhost } from '@warren/testing';
import { requestJson } from './http-client.ts';
import { dashboardQueries, tempoLinkQueries, type GrafanaQuery } from './support/dashboards.ts';
import { alertRulesWithShortFor, rabbitmqPrometheusTarget, startPrometheus, testPrometheusConfig, type RunningPrometheus } from './support/prometheus.ts';

/**
 * A real Prometheus (Debian's 2.42; compose runs 3.5) scrapes the services and RabbitMQ's
 * own endpoint every second, with the project's scrape config and alert rules (every `for:`
 * shortened to 1 s), while a stream of writes runs and a poison message is parked. Grafana's
 * `$__rate_interval` is 4 scrape intervals at least; 10 s here.
 */
const rateInterval = '10s';

describe('Prometheus scraping the running system', () => {
  let vhost: TestVhost;
  let system: RunningSystem;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let prometheus: RunningPrometheus;
  let writing = true;
  let stream: Promise<void>;

  /** Writes through every edge until the tests end: items, stock adjustments, reads of each service. */
  async function writeStream(): Promise<void> {
    for (let n = 0; writing; n += 1) {
      const key = `prom-${crypto.randomUUID()}`;
      const created = await requestJson<{ id: string }>(system.services.catalog.baseUrl, '/api/v1/items', {
        method: 'POST',
        body: { name: `Scraped ${n}`, sku: `PROM-${key.slice(5, 17)}`, priceCents: 100 + n },
        headers: { 'Idempotency-Key': key },
      });
      await requestJson(system.services.inventory.baseUrl, `/api/v1/stock/${created.body.id}/adjustments`, {
        method: 'POST',
        body: { delta: 1, reason: 'restock' },
        headers: { 'Idempotency-Key': `${key}-adjust` },
      });
      await requestJson(system.services.inventory.baseUrl, `/api/v1/stock/${created.body.id}`);
      await requestJson(system.services.audit.baseUrl, '/api/v1/events?limit=5');
      await requestJson(system.services.catalog.baseUrl, '/api/v1/items?limit=5');
      await requestJson(system.services.console.baseUrl, '/api/v1/groups');
      await requestJson(system.services.console.baseUrl, '/api/v1/retries', { method: 'POST', body: { fingerprint: 'none', dryRun: true }, headers: { 'Idempotency-Key': `${key}-console` } });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  beforeAll(async () => {
    const rabbitmq = await rabbitmqPrometheusTarget(infrastructure().amqpUrl);
    [vhost, receiver] = await Promise.all([createTestVhost('prom'), startOtlpReceiver()]);
    system = await startSystem({
      adminUrl: infrastructure().databaseUrl,
      amqpUrl: vhost.url,
      // Tracing on, so the histograms carry trace_id exemplars.
      env: { OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' },
    });
    const targets = (address: string) => ({
      ...Object.fromEntries(serviceNames.map((name) => [name, `127.0.0.1:${system.services[name].port}`])),
      rabbitmq,
      'rabbitmq-queues': rabbitmq,
      prometheus: address,
    });
    prometheus = await startPrometheus((address, rulesFile) => testPrometheusConfig(targets(address), rulesFile), alertRulesWithShortFor('1s'));
    stream = writeStream();
  }, 90_000);
  afterAll(async () => {
    writing = false;
    await stream?.catch(() => {});
    await prometheus?.close();
    await system?.close();
    await Promise.all([vhost?.delete(), receiver?.close()]);
  });

  it('scrapes every target', async () => {
    const up = await waitFor(
      async () => {
        const samples = await prometheus.query('up');
        return samples.length === 7 && samples.every(({ value }) => value[1] === '1') ? samples : undefined;
      },
      { description: 'seven targets up', timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(up.map(({ metric }) => metric['job']).sort()).toEqual(['audit', 'catalog', 'console', 'inventory', 'prometheus', 'rabbitmq', 'rabbitmq-queues']);
  });

  it('fires the dead-letter alerts on a parked poison message', async () => {
    // The handlers' dead_lettered series exist at 0 before the poison arrives, so increase() sees it.
    await waitFor(async () => (await prometheus.query('warren_messages_consumed_total{result="dead_lettered", handler="inventory.item-created"}')).length > 0, {
      description: 'the dead_lettered series at 0',
      timeoutMs: 20_000,
      intervalMs: 250,
    });
    await publishRaw(vhost.url, 'events', 'item.created.v1', '{poison', { messageId: `poison-${crypto.randomUUID()}` });
    const firing = await waitFor(
      async () => {
        const alerts = (await prometheus.alerts()).filter(({ state }) => state === 'firing');
        const consumed = alerts.find(({ labels }) => labels['alertname'] === 'WarrenMessagesDeadLettered' && labels['handler'] === 'inventory.item-created');
        const parked = alerts.find(({ labels }) => labels['alertname'] === 'RabbitMQDeadLetterQueueNotEmpty' && labels['vhost'] === vhost.name && labels['queue'] === 'inventory.item-created.dlq');
        return consumed && parked ? { consumed, parked } : undefined;
      },
      { description: 'both dead-letter alerts firing', timeoutMs: 40_000, intervalMs: 500 },
    );
    expect(firing.consumed.labels).toMatchObject({ service: 'inventory', severity: 'warning' });
    expect(firing.consumed.annotations['summary']).toMatch(/^inventory\/inventory\.item-created dead-lettered [\d.]+ messages in 10 minutes$/);
    expect(firing.parked.annotations['summary']).toBe('Dead-letter queue inventory.item-created.dlq holds 1 messages');
  });

  it('has series for every dashboard panel, data-source link and recording rule', async () => {
    const records = alertRulesWithShortFor().groups.flatMap((group) => group.rules.flatMap((rule) => (rule.record ? [{ where: `recording rule ${rule.record}`, expr: rule.record }] : [])));
    const queries: GrafanaQuery[] = [...dashboardQueries(serviceNames, rateInterval), ...tempoLinkQueries('catalog', rateInterval), ...records];
    expect(queries.length).toBeGreaterThan(80);
    let empty: GrafanaQuery[] = queries;
    try {
      await waitFor(
        async () => {
          const results = await Promise.all(empty.map(async (query) => ({ query, series: (await prometheus.query(query.expr)).length })));
          empty = results.filter(({ series }) => series === 0).map(({ query }) => query);
          return empty.length === 0;
        },
        { description: 'series for every query', timeoutMs: 45_000, intervalMs: 1_000 },
      );
    } catch {
      // Fails below, naming each panel that stayed empty.
    }
    expect(empty.map(({ where, expr }) => `${where}: ${expr}`)).toEqual([]);
  });

  it('keeps the trace ids the services attach as exemplars, queryable after a real scrape', async () => {
    const series = await waitFor(
      async () => {
        const found = await prometheus.exemplars('http_request_duration_seconds_bucket{service="catalog", route="/api/v1/items", method="POST"}', 60);
        return found.some(({ exemplars }) => exemplars.length > 0) ? found : undefined;
      },
      { description: 'exemplars of catalog POST /api/v1/items', timeoutMs: 20_000, intervalMs: 500 },
    );
    const traceIds = series.flatMap(({ exemplars }) => exemplars.map(({ labels }) => labels['trace_id']));
    for (const traceId of traceIds) expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    // Each links to a trace the services really exported.
    await waitFor(() => traceIds.some((traceId) => receiver.spans.some((span) => span.traceId === traceId)), { description: 'a span of an exemplar trace' });
  });
});
