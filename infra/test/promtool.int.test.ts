import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadDashboards, loadDatasources, queriesOf } from './grafana.ts';
import { promtool, withTempFiles } from './promtool.ts';
import { substituteGrafanaVariables } from './queries.ts';
import { readRepoYaml, repoPath } from './repo-files.ts';
import { apps, files } from './stack.ts';
import { prometheus3OnlyKeys, prometheusConfigFor242 } from './prometheus-config.ts';

/**
 * promtool from Debian's `prometheus` package (2.42; compose runs 3.5). Rule files, their unit
 * tests and PromQL parse the same in both; the scrape config keys only 3.x knows are removed from
 * the copy 2.42 checks and are checked statically in prometheus.unit.test.ts.
 */
const datasources = loadDatasources().expanded;
const typeOfUid = new Map(datasources.map(({ uid, type }) => [uid, type]));

/** Every PromQL query Grafana sends: each dashboard panel's, and the trace-to-metrics links. */
function grafanaQueries(): { where: string; expr: string }[] {
  const panels = [...loadDashboards()].flatMap(([name, board]) =>
    queriesOf(board)
      .filter(({ datasource }) => typeOfUid.get(datasource?.uid ?? '') === 'prometheus')
      .map(({ panel, target }) => ({ where: `${name}: ${panel.title} (${target.refId})`, expr: substituteGrafanaVariables(target.expr ?? '', { service: apps.join('|') }).expr })),
  );
  const tempo = datasources.find(({ type }) => type === 'tempo');
  const links = ((tempo?.jsonData?.['tracesToMetrics'] as { queries?: { name: string; query: string }[] } | undefined)?.queries ?? []).map(({ name, query }) => ({
    where: `Tempo link: ${name}`,
    expr: substituteGrafanaVariables(query.replaceAll('$__tags', 'service="catalog"')).expr,
  }));
  return [...panels, ...links];
}

describe('promtool', () => {
  it('accepts the Prometheus configuration (3.x-only keys removed for 2.42)', () => {
    const { config, removed } = prometheusConfigFor242(repoPath(files.alerts));
    expect(removed.length).toBeGreaterThan(0);
    for (const key of removed) expect(prometheus3OnlyKeys).toContain(key);
    const result = withTempFiles({ 'prometheus.yml': stringify(config) }, (dir) => promtool(['check', 'config', `${dir}/prometheus.yml`]));
    expect(result.output).toContain('SUCCESS');
    expect(result.ok, result.output).toBe(true);
  });

  it('accepts every rule file', () => {
    const result = promtool(['check', 'rules', repoPath(files.alerts)]);
    expect(result.ok, result.output).toBe(true);
  });

  it('parses every PromQL query of the dashboards and the data-source links', () => {
    const queries = grafanaQueries();
    expect(queries.length).toBeGreaterThan(50);
    const rules = { groups: [{ name: 'grafana', rules: queries.map(({ expr }, index) => ({ record: `grafana_query_${index + 1}`, expr })) }] };
    const result = withTempFiles({ 'grafana.yml': stringify(rules) }, (dir) => promtool(['check', 'rules', `${dir}/grafana.yml`]));
    const failed = [...result.output.matchAll(/rule (\d+),/g)].map(([, index]) => queries[Number(index) - 1]);
    expect(failed.map((query) => `${query?.where}: ${query?.expr}`)).toEqual([]);
    expect(result.ok, result.output).toBe(true);
  });

  it('passes the alert unit tests', () => {
    const dir = repoPath('infra/prometheus/tests');
    const testFiles = readdirSync(dir).filter((name) => name.endsWith('.test.yml'));
    expect(testFiles).toContain('alerts.test.yml');
    const result = promtool(['test', 'rules', ...testFiles], dir);
    expect(result.ok, result.output).toBe(true);
  });

  it('fails an alert test whose alert would not fire', () => {
    // The unit tests are only worth something if promtool reports an alert that stays quiet.
    const rules = readRepoYaml<{ groups: { name: string; rules: { alert?: string; expr: string }[] }[] }>(files.alerts);
    for (const group of rules.groups) for (const rule of group.rules) if (rule.alert === 'ScrapeTargetDown') rule.expr = 'up == 2';
    const tests = readRepoYaml<{ rule_files: string[] }>(files.alertTests);
    tests.rule_files = ['alerts.yml'];
    const result = withTempFiles({ 'alerts.yml': stringify(rules), 'alerts.test.yml': stringify(tests) }, (dir) => promtool(['test', 'rules', 'alerts.test.yml'], dir));
    expect(result.ok).toBe(false);
    expect(result.output).toContain('alertname: ScrapeTargetDown');
  });
});
