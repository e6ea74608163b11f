import { describe, expect, it } from 'vitest';
import { rabbitmqDetailedFamilies } from './known-metrics.ts';
import { prometheus3OnlyKeys, scrapeProtocols } from './prometheus-config.ts';
import { commandFlag, parseMount, repoFileAt } from './repo-files.ts';
import { apps, appPorts, collector, compose, endpointPort, files, listenPorts, prometheus, rabbitmqConf, service, type ScrapeConfig } from './stack.ts';

const prometheusService = service('prometheus');

/** Every static target of every job, as host, port and the job's path and parameters. */
const targets = prometheus.scrape_configs.flatMap((job) =>
  (job.static_configs ?? []).flatMap(({ targets: hostPorts, labels }) =>
    hostPorts.map((hostPort) => {
      const [host = '', port = ''] = hostPort.split(':');
      return { job: job.job_name, host, port: Number(port), path: job.metrics_path ?? '/metrics', params: job.params ?? {}, labels: labels ?? {} };
    }),
  ),
);

function jobsScraping(host: string, port: number): typeof targets {
  return targets.filter((target) => target.host === host && target.port === port);
}

describe('Prometheus configuration', () => {
  it('runs the pinned image with this file as its config', () => {
    expect(prometheusService.image).toMatch(/^prom\/prometheus:v3\.\d+\.\d+$/);
    const configPath = commandFlag(prometheusService, '--config.file');
    expect(configPath && repoFileAt(prometheusService, configPath)).toBe(files.prometheus);
  });

  it('keeps its TSDB in a named volume', () => {
    const path = commandFlag(prometheusService, '--storage.tsdb.path');
    expect((prometheusService.volumes ?? []).map(parseMount).find((mount) => mount.target === path)?.kind).toBe('volume');
  });

  it('accepts remote writes (from Tempo) and stores exemplars', () => {
    expect(prometheusService.command).toEqual(expect.arrayContaining(['--web.enable-remote-write-receiver', '--enable-feature=exemplar-storage']));
  });

  it('loads the alert rules from the mounted alerts file', () => {
    expect(prometheus.rule_files?.map((path) => repoFileAt(prometheusService, path))).toEqual([files.alerts]);
  });

  it('has unique job names', () => {
    const names = prometheus.scrape_configs.map((job: ScrapeConfig) => job.job_name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('scrapes only compose services, on ports they listen on', () => {
    const ports = listenPorts();
    expect(targets.length).toBeGreaterThan(0);
    for (const { job, host, port } of targets) {
      const name = host === 'localhost' ? 'prometheus' : host;
      expect(Object.keys(compose.services), `${job} target host`).toContain(name);
      expect(ports[name], `${job} target ${host}:${port}`).toContain(port);
    }
  });

  it.each(apps)('scrapes %s at GET /metrics on its HTTP port, labelled with its name', (app) => {
    expect(jobsScraping(app, appPorts[app])).toEqual([
      { job: app, host: app, port: appPorts[app], path: '/metrics', params: {}, labels: { service: app } },
    ]);
  });

  // Prometheus 3 only: promtool 2.42 (promtool.int.test.ts) checks a copy without these keys.
  it('names a scrape protocol Prometheus 3.5 knows wherever it sets a fallback', () => {
    expect(prometheus3OnlyKeys).toEqual(['fallback_scrape_protocol']);
    for (const app of apps) expect(prometheus.scrape_configs.find((job) => job.job_name === app)?.fallback_scrape_protocol, app).toBe('PrometheusText0.0.4');
    for (const job of prometheus.scrape_configs) {
      if (job.fallback_scrape_protocol !== undefined) expect(scrapeProtocols, job.job_name).toContain(job.fallback_scrape_protocol);
    }
  });

  it("scrapes RabbitMQ's aggregated and per-queue endpoints on the Prometheus plugin's port", () => {
    const port = Number(rabbitmqConf.get('prometheus.tcp.port'));
    expect(port).toBe(15692);
    const jobs = jobsScraping('rabbitmq', port);
    expect(jobs.map(({ path }) => path).sort()).toEqual(['/metrics', '/metrics/detailed']);
    const detailed = jobs.find(({ path }) => path === '/metrics/detailed');
    // Without a family the detailed endpoint returns nothing; these two give depth and consumers.
    expect(detailed?.params['family']?.sort()).toEqual(['queue_coarse_metrics', 'queue_consumer_count']);
    for (const family of detailed?.params['family'] ?? []) expect(Object.keys(rabbitmqDetailedFamilies)).toContain(family);
  });

  it("scrapes the collector's own telemetry and its connectors' metrics", () => {
    const telemetryPort = collector.service.telemetry?.metrics?.readers?.[0]?.pull?.exporter?.prometheus?.port ?? 0;
    const exporterPort = endpointPort(collector.exporters?.['prometheus']?.endpoint);
    expect(jobsScraping('otel-collector', telemetryPort)).toHaveLength(1);
    expect(jobsScraping('otel-collector', exporterPort)).toHaveLength(1);
  });
});
