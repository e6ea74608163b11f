import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readRepoYaml } from './prometheus.ts';

interface Panel {
  type: string;
  title: string;
  datasource?: { type?: string };
  targets?: { refId: string; expr?: string; datasource?: { type?: string } }[];
  panels?: Panel[];
}

/** One PromQL query Grafana would send to Prometheus, and where it is shown. */
export interface GrafanaQuery {
  where: string;
  expr: string;
}

const dashboardsDir = 'infra/grafana/dashboards';

/**
 * Every Prometheus query of every provisioned dashboard, as Grafana sends it with every service
 * selected: `$__rate_interval` and the other interval variables become `interval`, `$service`
 * becomes the alternation of all services.
 */
export function dashboardQueries(services: readonly string[], interval: string): GrafanaQuery[] {
  const names = readdirSync(fileURLToPath(new URL(`../../../${dashboardsDir}`, import.meta.url))).filter((name) => name.endsWith('.json'));
  return names.flatMap((name) => {
    const board = readRepoYaml<{ title: string; panels: Panel[] }>(`${dashboardsDir}/${name}`);
    const panels = board.panels.flatMap((panel) => (panel.type === 'row' ? (panel.panels ?? []) : [panel]));
    return panels.flatMap((panel) =>
      (panel.targets ?? [])
        .filter((target) => (target.datasource?.type ?? panel.datasource?.type) === 'prometheus')
        .map((target) => ({ where: `${board.title} › ${panel.title} (${target.refId})`, expr: substitute(target.expr ?? '', services, interval) })),
    );
  });
}

function substitute(expr: string, services: readonly string[], interval: string): string {
  return expr
    .replace(/\$\{?__(rate_interval|interval|range|auto)\}?/g, interval)
    .replace(/\$\{?service(?::\w+)?\}?/g, services.join('|'));
}

/** The trace-to-metrics queries of the Tempo data source, for one service's span. */
export function tempoLinkQueries(service: string, interval: string): GrafanaQuery[] {
  const { datasources } = readRepoYaml<{ datasources: { type: string; jsonData?: { tracesToMetrics?: { queries?: { name: string; query: string }[] } } }[] }>(
    'infra/grafana/provisioning/datasources/datasources.yaml',
  );
  const queries = datasources.find(({ type }) => type === 'tempo')?.jsonData?.tracesToMetrics?.queries ?? [];
  return queries.map(({ name, query }) => ({ where: `Tempo link › ${name}`, expr: substitute(query.replaceAll('$$', '$').replaceAll('$__tags', `service="${service}"`), [service], interval) }));
}
