import { describe, expect, it } from 'vitest';
import { commandFlag, interpolate, repoFileAt } from './repo-files.ts';
import { apps, collector, compose, endpointPort, files, listenPorts, service, tempo } from './stack.ts';

type Role = 'receivers' | 'processors' | 'exporters';
const pipelines = Object.entries(collector.service.pipelines);
const connectors = Object.keys(collector.connectors ?? {});

/** The signal of a pipeline id (`traces`, `metrics/spans` → `metrics`). */
const signal = (pipelineId: string) => pipelineId.split('/')[0];

/** The component ids a section defines; connectors also count as receivers and exporters. */
function defined(role: Role): string[] {
  const own = Object.keys(collector[role] ?? {});
  return role === 'processors' ? own : [...own, ...connectors];
}

function pipelinesUsing(role: Role, component: string): string[] {
  return pipelines.filter(([, pipeline]) => (pipeline[role] ?? []).includes(component)).map(([id]) => id);
}

describe('OpenTelemetry Collector configuration', () => {
  it('runs the pinned contrib image with this file as its config', () => {
    const collectorService = service('otel-collector');
    expect(collectorService.image).toMatch(/^otel\/opentelemetry-collector-contrib:\d+\.\d+\.\d+$/);
    const configPath = commandFlag(collectorService, '--config');
    expect(configPath && repoFileAt(collectorService, configPath)).toBe(files.collector);
  });

  it('has pipelines that reference only the receivers, processors and exporters it defines', () => {
    expect(pipelines.length).toBeGreaterThan(0);
    for (const [id, pipeline] of pipelines) {
      for (const role of ['receivers', 'processors', 'exporters'] as const) {
        for (const component of pipeline[role] ?? []) expect(defined(role), `${id} ${role}`).toContain(component);
      }
      expect(pipeline.receivers?.length, `${id} receivers`).toBeGreaterThan(0);
      expect(pipeline.exporters?.length, `${id} exporters`).toBeGreaterThan(0);
    }
  });

  it('uses every component it defines (nothing configured and silently idle)', () => {
    for (const role of ['receivers', 'processors', 'exporters'] as const) {
      for (const component of Object.keys(collector[role] ?? {})) expect(pipelinesUsing(role, component), `${role} ${component}`).not.toEqual([]);
    }
    for (const extension of collector.service.extensions ?? []) expect(Object.keys(collector.extensions ?? {})).toContain(extension);
  });

  it('uses every connector as the exporter of one pipeline and the receiver of another', () => {
    expect(connectors.sort()).toEqual(['servicegraph', 'spanmetrics']);
    for (const connector of connectors) {
      const from = pipelinesUsing('exporters', connector);
      const to = pipelinesUsing('receivers', connector);
      expect(from.length, `${connector} as exporter`).toBeGreaterThan(0);
      expect(to.length, `${connector} as receiver`).toBeGreaterThan(0);
      for (const source of from) expect(to, `${connector} feeds back into ${source}`).not.toContain(source);
      // Both connectors turn spans into metrics.
      expect(from.map(signal), `${connector} reads`).toEqual(from.map(() => 'traces'));
      expect(to.map(signal), `${connector} writes`).toEqual(to.map(() => 'metrics'));
    }
  });

  it('limits memory first and batches last in every pipeline', () => {
    for (const [id, pipeline] of pipelines) {
      const processors = pipeline.processors ?? [];
      expect(processors[0], id).toBe('memory_limiter');
      expect(processors.at(-1), id).toBe('batch');
    }
  });

  it('receives OTLP over gRPC on 4317 and HTTP on 4318, on every interface', () => {
    const protocols = collector.receivers?.['otlp']?.protocols ?? {};
    expect(protocols['grpc']?.endpoint).toBe('0.0.0.0:4317');
    expect(protocols['http']?.endpoint).toBe('0.0.0.0:4318');
    expect(pipelinesUsing('receivers', 'otlp')).toEqual(['traces']);
  });

  it.each(apps)('listens where %s sends its traces', (app) => {
    const endpoint = new URL(interpolate(service(app).environment?.['OTEL_EXPORTER_OTLP_ENDPOINT'] ?? ''));
    expect(endpoint.hostname).toBe('otel-collector');
    expect(Number(endpoint.port)).toBe(endpointPort(collector.receivers?.['otlp']?.protocols?.['http']?.endpoint));
  });

  it("exports traces to Tempo's OTLP gRPC receiver", () => {
    const exporter = collector.exporters?.['otlp/tempo'];
    const [host, port] = (exporter?.endpoint ?? '').split(':');
    expect(Object.keys(compose.services)).toContain(host);
    expect(host).toBe('tempo');
    expect(Number(port)).toBe(endpointPort(tempo.distributor.receivers.otlp?.protocols?.grpc?.endpoint));
    expect(exporter?.tls?.insecure).toBe(true);
    expect(pipelinesUsing('exporters', 'otlp/tempo')).toEqual(['traces']);
  });

  it('exposes span metrics and the service graph to Prometheus with their exemplars', () => {
    expect(collector.connectors?.['spanmetrics']?.exemplars?.enabled).toBe(true);
    const exporter = collector.exporters?.['prometheus'];
    // Exemplars are only in the OpenMetrics exposition.
    expect(exporter?.enable_open_metrics).toBe(true);
    expect(listenPorts()['otel-collector']).toContain(endpointPort(exporter?.endpoint));
    for (const connector of connectors) {
      for (const id of pipelinesUsing('receivers', connector)) expect(collector.service.pipelines[id]?.exporters).toContain('prometheus');
    }
  });

  it('serves its own metrics for Prometheus on every interface', () => {
    const readers = collector.service.telemetry?.metrics?.readers ?? [];
    expect(readers.map((reader) => reader.pull?.exporter?.prometheus)).toEqual([{ host: '0.0.0.0', port: 8888 }]);
  });
});
