import { describe, expect, it } from 'vitest';
import { objectKeys, allBlocks, parseAlloy } from './alloy-config.ts';
import { grafanaExpand, loadDatasources, type ProvisionedDatasource } from './grafana.ts';
import { knownMetrics } from './known-metrics.ts';
import { familyMetricNames } from './queries.ts';
import { readRepoFile, readRepoYaml, repoFileAt } from './repo-files.ts';
import { apps, compose, files, listenPorts, prometheus, service } from './stack.ts';

const { raw, expanded } = loadDatasources();
const grafanaService = service('grafana');

function datasource(uid: string): ProvisionedDatasource {
  const found = expanded.find((candidate) => candidate.uid === uid);
  if (!found) throw new Error(`no provisioned data source with uid ${uid}`);
  return found;
}

function jsonData<T>(uid: string, key: string): T {
  return datasource(uid).jsonData?.[key] as T;
}

/** Every `datasourceUid` anywhere below a value. */
function referencedUids(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedUids);
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => (key === 'datasourceUid' && typeof item === 'string' ? [item] : referencedUids(item)));
}

/** The stage blocks of config.alloy by name, for what Loki will hold. */
const alloyStages = allBlocks(parseAlloy(readRepoFile(files.alloy)));
const lokiLabels = ['service', 'container', ...objectKeys(alloyStages.find((block) => block.name === 'stage.labels')?.attributes.get('values'))];
const structuredMetadata = objectKeys(alloyStages.find((block) => block.name === 'stage.structured_metadata')?.attributes.get('values'));

describe("Grafana's environment expansion of provisioning files (as in its provisioning/values)", () => {
  it('empties ${...} and $name, and turns $$ into $', () => {
    expect(grafanaExpand('${__value.raw} $__tags $${__value.raw} $${HOME}')).toBe('  ${__value.raw} ${HOME}');
    expect(grafanaExpand('${GF_X}', { GF_X: 'y' })).toBe('y');
  });
});

describe('Grafana data sources', () => {
  it('are mounted where Grafana provisions from', () => {
    expect(repoFileAt(grafanaService, '/etc/grafana/provisioning/datasources/datasources.yaml')).toBe(files.datasources);
  });

  it('are Prometheus, Tempo and Loki with fixed, unique uids', () => {
    expect(expanded.map(({ uid, type }) => `${type}:${uid}`).sort()).toEqual(['loki:loki', 'prometheus:prometheus', 'tempo:tempo']);
    expect(new Set(expanded.map(({ name }) => name)).size).toBe(expanded.length);
  });

  it('reach compose services on ports they listen on', () => {
    for (const { uid, url } of expanded) {
      const parsed = new URL(url);
      expect(Object.keys(compose.services), uid).toContain(parsed.hostname);
      expect(listenPorts()[parsed.hostname], uid).toContain(Number(parsed.port));
    }
  });

  it('refer to each other only by provisioned uids', () => {
    const uids = expanded.map(({ uid }) => uid);
    const references = expanded.flatMap(({ jsonData: data }) => referencedUids(data));
    expect(references.length).toBeGreaterThan(0);
    for (const reference of references) expect(uids).toContain(reference);
  });

  it('link Prometheus exemplars labelled trace_id to Tempo', () => {
    const destinations = jsonData<{ name: string; datasourceUid: string }[]>('prometheus', 'exemplarTraceIdDestinations');
    expect(destinations).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'trace_id', datasourceUid: 'tempo' })]));
  });

  it("link a span to its service's log lines of that trace in Loki", () => {
    const link = jsonData<{ datasourceUid: string; customQuery: boolean; query: string; tags: { key: string; value: string }[] }>('tempo', 'tracesToLogsV2');
    expect(link.datasourceUid).toBe('loki');
    expect(link.tags).toEqual([{ key: 'service.name', value: 'service' }]);
    // The tag becomes a stream selector on an index label Alloy sets...
    expect(lokiLabels).toContain('service');
    // ...and the trace id a filter on the structured metadata Alloy attaches, not a line search.
    expect(link.customQuery).toBe(true);
    expect(link.query).toBe('{${__tags}} | trace_id="${__trace.traceId}"');
    expect(structuredMetadata).toContain('trace_id');
  });

  it("link a span to its service's request metrics in Prometheus", () => {
    const link = jsonData<{ datasourceUid: string; tags: { key: string; value: string }[]; queries: { name: string; query: string }[] }>('tempo', 'tracesToMetrics');
    expect(link.datasourceUid).toBe('prometheus');
    expect(link.tags).toEqual([{ key: 'service.name', value: 'service' }]);
    // `service` is the label the scrape jobs put on every series of a Warren service.
    for (const app of apps) expect(prometheus.scrape_configs.find((job) => job.job_name === app)?.static_configs?.[0]?.labels?.['service']).toBe(app);
    expect(link.queries.length).toBeGreaterThan(0);
    for (const { query } of link.queries) {
      expect(query).toContain('$__tags');
      // promtool.int.test.ts checks it as PromQL; the e2e test runs it against live series.
      for (const metric of familyMetricNames(query)) expect([...knownMetrics]).toContain(metric);
    }
  });

  it('give Tempo a service map, the node graph and Loki search', () => {
    expect(jsonData<{ datasourceUid: string }>('tempo', 'serviceMap').datasourceUid).toBe('prometheus');
    expect(jsonData<{ enabled: boolean }>('tempo', 'nodeGraph').enabled).toBe(true);
    expect(jsonData<{ datasourceUid: string }>('tempo', 'lokiSearch').datasourceUid).toBe('loki');
  });

  it('link each Warren log line to its trace in Tempo', () => {
    const [field, ...others] = jsonData<{ matcherType?: string; matcherRegex: string; datasourceUid: string; url: string }[]>('loki', 'derivedFields');
    expect(others).toEqual([]);
    expect(field?.datasourceUid).toBe('tempo');
    expect(field?.url).toBe('${__value.raw}');
    expect(field?.matcherType ?? 'regex').toBe('regex');
    // A line as pino writes it (packages/telemetry): trace_id is 32 lowercase hex digits.
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const line = JSON.stringify({ level: 'info', time: '2025-01-01T00:00:00.000Z', service: 'catalog', request_id: 'r-1', correlation_id: 'r-1', trace_id: traceId, span_id: '00f067aa0ba902b7', msg: 'request completed' });
    expect(new RegExp(field?.matcherRegex ?? '^$').exec(line)?.[1]).toBe(traceId);
    expect(new RegExp(field?.matcherRegex ?? '^$').exec(JSON.stringify({ msg: 'no trace here' }))).toBeNull();
  });

  it('write Grafana link variables with $$, so provisioning does not expand them away', () => {
    const url = (raw.find(({ uid }) => uid === 'loki')?.jsonData?.['derivedFields'] as { url: string }[])[0]?.url;
    expect(url).toBe('$${__value.raw}');
    // No other ${...} or $name survives in the file unescaped (it would silently become empty).
    const text = readRepoYaml<unknown>(files.datasources);
    const unescaped = JSON.stringify(text).split('$$').some((piece) => /\$(\{|\w)/.test(piece));
    expect(unescaped).toBe(false);
  });
});
