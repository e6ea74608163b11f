import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { waitFor } from '@warren/testing';
import { prometheusTools } from '@warren/testing/prometheus';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** A file of the repository, parsed as YAML (or JSON). */
export function readRepoYaml<T>(relative: string): T {
  return parse(readFileSync(join(repositoryRoot, relative), 'utf8')) as T;
}

interface ScrapeJob {
  job_name: string;
  static_configs?: { targets: string[]; labels?: Record<string, string> }[];
  [key: string]: unknown;
}

interface RuleGroup {
  name: string;
  rules: { alert?: string; record?: string; expr: string; for?: string }[];
}

/** Scrape-config keys Prometheus 3 knows and the 2.42 server here rejects. */
const prometheus3OnlyKeys = ['fallback_scrape_protocol'];

/**
 * The project's prometheus.yml for a test: 1 s scrape and evaluation intervals, the 3.x-only keys
 * removed, only the jobs in `targets` kept, each with its target replaced by `targets[job]`, and
 * `rulesFile` as the only rule file.
 */
export function testPrometheusConfig(targets: Record<string, string>, rulesFile: string): Record<string, unknown> {
  const config = readRepoYaml<{ global?: Record<string, unknown>; scrape_configs: ScrapeJob[] }>('infra/prometheus/prometheus.yml');
  const jobs = config.scrape_configs
    .filter((job) => targets[job.job_name] !== undefined)
    .map((job) => {
      const kept = Object.fromEntries(Object.entries(job).filter(([key]) => !prometheus3OnlyKeys.includes(key))) as ScrapeJob;
      const labels = job.static_configs?.[0]?.labels;
      return { ...kept, static_configs: [{ targets: [targets[job.job_name] ?? ''], ...(labels ? { labels } : {}) }] };
    });
  return { ...config, global: { ...config.global, scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' }, rule_files: [rulesFile], scrape_configs: jobs };
}

/** alerts.yml with every `for:` shortened to `for` (the test cannot wait minutes). */
export function alertRulesWithShortFor(shortFor = '1s'): { groups: RuleGroup[] } {
  const rules = readRepoYaml<{ groups: RuleGroup[] }>('infra/prometheus/alerts.yml');
  return { groups: rules.groups.map((group) => ({ ...group, rules: group.rules.map((rule) => (rule.for ? { ...rule, for: shortFor } : rule)) })) };
}

/** A loopback port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1_000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

/**
 * The `host:port` of RabbitMQ's own Prometheus endpoint (plugin `rabbitmq_prometheus`, port
 * 15692) on the broker's host. On a local broker with the plugin off, enables it with
 * `rabbitmq-plugins` (not the management plugin); throws when it cannot be reached.
 */
export async function rabbitmqPrometheusTarget(amqpUrl: string, port = 15692): Promise<string> {
  const host = new URL(amqpUrl).hostname;
  if (!(await portOpen(host, port))) {
    const enabled = spawnSync('rabbitmq-plugins', ['enable', 'rabbitmq_prometheus'], { encoding: 'utf8', timeout: 60_000 });
    if (enabled.status !== 0) throw new Error(`RabbitMQ's Prometheus endpoint ${host}:${port} is closed and rabbitmq-plugins enable rabbitmq_prometheus failed: ${enabled.stderr || enabled.error?.message}`);
    await waitFor(() => portOpen(host, port), { description: `RabbitMQ's Prometheus endpoint on ${host}:${port}`, timeoutMs: 30_000, intervalMs: 200 });
  }
  return `${host}:${port}`;
}

/** One series of an instant query. */
export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** An alert as GET /api/v1/alerts reports it. */
export interface ActiveAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
}

export interface ExemplarSeries {
  seriesLabels: Record<string, string>;
  exemplars: { labels: Record<string, string>; value: string; timestamp: number }[];
}

export interface RunningPrometheus {
  url: string;
  /** `host:port` it listens on. */
  address: string;
  query(expr: string): Promise<Sample[]>;
  alerts(): Promise<ActiveAlert[]>;
  exemplars(expr: string, sinceSeconds: number): Promise<ExemplarSeries[]>;
  close(): Promise<void>;
}

async function api<T>(url: string): Promise<T> {
  const response = await fetch(url);
  const body = (await response.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`${url}: ${body.error}`);
  return body.data;
}

/**
 * Starts a real Prometheus (found by @warren/testing/prometheus-setup) on a free loopback port,
 * with a throwaway data directory and exemplar storage, loading `config(address)` and `rules`.
 * Resolves once it is ready; `close()` stops it and removes the directory.
 */
export async function startPrometheus(config: (address: string, rulesFile: string) => Record<string, unknown>, rules: unknown): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'warren-prometheus-'));
  const address = `127.0.0.1:${await freePort()}`;
  const rulesFile = join(dir, 'alerts.yml');
  // JSON is YAML: Prometheus reads both files as they are written here.
  writeFileSync(rulesFile, JSON.stringify(rules));
  writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config(address, rulesFile)));
  const child = spawn(
    prometheusTools().prometheus,
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=${address}`, '--enable-feature=exemplar-storage'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4_000)));
  const url = `http://${address}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitFor(async () => child.exitCode === null && (await fetch(`${url}/-/ready`)).ok, { description: 'Prometheus to be ready', timeoutMs: 20_000, intervalMs: 100 });
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`Prometheus did not start: ${log}`, { cause: error });
  }
  return {
    url,
    address,
    query: async (expr) => (await api<{ result: Sample[] }>(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`)).result,
    alerts: async () => (await api<{ alerts: ActiveAlert[] }>(`${url}/api/v1/alerts`)).alerts,
    exemplars: async (expr, sinceSeconds) => {
      const end = Date.now() / 1_000;
      return api<ExemplarSeries[]>(`${url}/api/v1/query_exemplars?query=${encodeURIComponent(expr)}&start=${end - sinceSeconds}&end=${end}`);
    },
    async close() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
