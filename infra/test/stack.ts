import { composeService, interpolate, loadCompose, readRepoFile, readRepoYaml, type ComposeFile } from './repo-files.ts';
import { entryPointPort, traefikStatic } from './traefik.ts';

/** The observability configuration files, as the tests read them. */
export const files = {
  collector: 'infra/otel-collector/config.yaml',
  tempo: 'infra/tempo/tempo.yaml',
  prometheus: 'infra/prometheus/prometheus.yml',
  alerts: 'infra/prometheus/alerts.yml',
  alertTests: 'infra/prometheus/tests/alerts.test.yml',
  loki: 'infra/loki/loki.yaml',
  alloy: 'infra/alloy/config.alloy',
  rabbitmq: 'infra/rabbitmq/rabbitmq.conf',
  datasources: 'infra/grafana/provisioning/datasources/datasources.yaml',
  dashboardProviders: 'infra/grafana/provisioning/dashboards/warren.yaml',
  dashboards: 'infra/grafana/dashboards',
} as const;

/**
 * The fixed public contract (shared/ARCHITECTURE.md): each app and its port. The one list of apps
 * the static tests share; `npm run new:service` adds to it.
 */
export const appPorts = { catalog: 3001, inventory: 3002, audit: 3003, console: 3004 } as const;
export type App = keyof typeof appPorts;
export const apps = Object.keys(appPorts) as App[];

export interface CollectorPipeline {
  receivers?: string[];
  processors?: string[];
  exporters?: string[];
}

export interface CollectorConfig {
  extensions?: Record<string, { endpoint?: string } | null>;
  receivers?: Record<string, { protocols?: Record<string, { endpoint?: string } | null> } | null>;
  processors?: Record<string, unknown>;
  exporters?: Record<string, { endpoint?: string; enable_open_metrics?: boolean; tls?: { insecure?: boolean } } | null>;
  connectors?: Record<string, { exemplars?: { enabled?: boolean } } | null>;
  service: {
    extensions?: string[];
    telemetry?: { metrics?: { readers?: { pull?: { exporter?: { prometheus?: { host?: string; port?: number } } } }[] } };
    pipelines: Record<string, CollectorPipeline>;
  };
}

export interface TempoConfig {
  server: { http_listen_port: number; grpc_listen_port?: number };
  distributor: { receivers: { otlp?: { protocols?: { grpc?: { endpoint?: string }; http?: { endpoint?: string } } } } };
  metrics_generator?: { storage?: { path?: string; remote_write?: { url: string; send_exemplars?: boolean }[] } };
  storage: { trace: { backend: string; wal?: { path?: string }; local?: { path?: string } } };
  overrides?: { defaults?: { metrics_generator?: { processors?: string[] } } };
}

export interface LokiConfig {
  server: { http_listen_port: number; grpc_listen_port?: number };
  common?: { path_prefix?: string; storage?: { filesystem?: { chunks_directory?: string; rules_directory?: string } } };
  schema_config: { configs: { from: string; store: string; object_store: string; schema: string }[] };
  limits_config?: { allow_structured_metadata?: boolean };
  compactor?: { working_directory?: string };
}

export interface ScrapeConfig {
  job_name: string;
  metrics_path?: string;
  /** Prometheus 3 only; promtool 2.42 rejects it (prometheus-config.ts). */
  fallback_scrape_protocol?: string;
  params?: Record<string, string[]>;
  static_configs?: { targets: string[]; labels?: Record<string, string> }[];
}

export interface PrometheusConfig {
  rule_files?: string[];
  scrape_configs: ScrapeConfig[];
}

export const compose: ComposeFile = loadCompose();
export const service = (name: string) => composeService(compose, name);
export const collector = readRepoYaml<CollectorConfig>(files.collector);
export const tempo = readRepoYaml<TempoConfig>(files.tempo);
export const loki = readRepoYaml<LokiConfig>(files.loki);
export const prometheus = readRepoYaml<PrometheusConfig>(files.prometheus);

/** rabbitmq.conf as key → value (sysctl format: `key = value`, `#` comments). */
export const rabbitmqConf = new Map(
  readRepoFile(files.rabbitmq)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [key = '', ...value] = line.split('=');
      return [key.trim(), value.join('=').trim()] as const;
    }),
);

/** The port of a `host:port` endpoint. */
export function endpointPort(endpoint: string | undefined): number {
  const port = Number(endpoint?.split(':').at(-1));
  if (!Number.isInteger(port)) throw new Error(`no port in endpoint ${endpoint}`);
  return port;
}

function appListenPort(app: App): number {
  return Number(interpolate(service(app).environment?.['PORT'] ?? ''));
}

function collectorPorts(): number[] {
  const otlp = collector.receivers?.['otlp']?.protocols ?? {};
  const exporters = Object.values(collector.exporters ?? {}).flatMap((exporter) => (exporter?.endpoint?.startsWith('0.0.0.0:') ? [endpointPort(exporter.endpoint)] : []));
  const readers = (collector.service.telemetry?.metrics?.readers ?? []).flatMap((reader) => reader.pull?.exporter?.prometheus?.port ?? []);
  const extensions = Object.values(collector.extensions ?? {}).flatMap((extension) => (extension?.endpoint ? [endpointPort(extension.endpoint)] : []));
  return [...Object.values(otlp).map((protocol) => endpointPort(protocol?.endpoint)), ...exporters, ...readers, ...extensions];
}

/**
 * The ports each service listens on inside its container, read from that service's own
 * configuration (or the image's documented default where nothing overrides it).
 */
export function listenPorts(): Record<string, number[]> {
  const tempoOtlp = tempo.distributor.receivers.otlp?.protocols ?? {};
  const alloyAddress = service('alloy').command?.find((argument) => argument.startsWith('--server.http.listen-addr='));
  return {
    ...Object.fromEntries(apps.map((app) => [app, [appListenPort(app)]])),
    // The image's default; the apps' DATABASE_URLs use it (compose.unit.test.ts).
    postgres: [5432],
    rabbitmq: ['listeners.tcp.default', 'management.tcp.port', 'prometheus.tcp.port'].map((key) => Number(rabbitmqConf.get(key))),
    'otel-collector': collectorPorts(),
    tempo: [tempo.server.http_listen_port, tempo.server.grpc_listen_port ?? 9095, ...Object.values(tempoOtlp).map((protocol) => endpointPort(protocol.endpoint))],
    loki: [loki.server.http_listen_port, loki.server.grpc_listen_port ?? 9095],
    // Prometheus' and Grafana's defaults: compose passes no --web.listen-address / GF_SERVER_HTTP_PORT.
    prometheus: [9090],
    grafana: [3000],
    alloy: alloyAddress ? [endpointPort(alloyAddress)] : [12345],
    traefik: Object.keys(traefikStatic.entryPoints).map(entryPointPort),
    certs: [],
    // authentik's defaults (AUTHENTIK_LISTEN__*): HTTP, HTTPS, metrics; compose overrides none.
    'authentik-server': [9000, 9443, 9300],
    'authentik-worker': [],
    'authentik-db': [5432],
  };
}
