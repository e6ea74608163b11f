import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'yaml';
import { readRepoFile, readRepoJson, repoPath } from './repo-files.ts';
import { files } from './stack.ts';

/**
 * Grafana's expansion of environment variables in provisioning files (Go's os.ExpandEnv on each
 * piece between `$$`, joined by a literal `$`): `${anything}` and `$name` become the variable's
 * value, empty when unset. Grafana's own `${__value.raw}` must therefore be written `$${…}`.
 */
export function grafanaExpand(value: string, env: Record<string, string | undefined> = {}): string {
  return value
    .split('$$')
    .map((piece) => piece.replace(/\$\{([^}]*)\}|\$([A-Za-z0-9_]+)/g, (_match, braced?: string, bare?: string) => env[braced ?? bare ?? ''] ?? ''))
    .join('$');
}

/** Every string in a parsed YAML/JSON value passed through `transform`. */
function mapStrings(value: unknown, transform: (text: string) => string): unknown {
  if (typeof value === 'string') return transform(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, transform));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, transform)]));
  return value;
}

export interface ProvisionedDatasource {
  name: string;
  uid: string;
  type: string;
  url: string;
  jsonData?: Record<string, unknown>;
}

/** The data sources file as written, and as Grafana sees it once it has expanded the environment. */
export function loadDatasources(): { raw: ProvisionedDatasource[]; expanded: ProvisionedDatasource[] } {
  const document = parse(readRepoFile(files.datasources)) as { apiVersion: number; datasources: ProvisionedDatasource[] };
  return { raw: document.datasources, expanded: (mapStrings(document, (text) => grafanaExpand(text)) as typeof document).datasources };
}

export interface DatasourceRef {
  type?: string;
  uid?: string;
}

export interface Target {
  refId: string;
  datasource?: DatasourceRef;
  expr?: string;
  legendFormat?: string;
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: DatasourceRef;
  targets?: Target[];
  panels?: Panel[];
  gridPos?: { x: number; y: number; w: number; h: number };
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating?: { list: { name: string; type: string; datasource?: DatasourceRef; query?: unknown }[] };
}

/** The dashboards in infra/grafana/dashboards, by file name without `.json`. */
export function loadDashboards(): Map<string, Dashboard> {
  const names = readdirSync(repoPath(files.dashboards)).filter((name) => name.endsWith('.json'));
  return new Map(names.map((name) => [basename(name, '.json'), readRepoJson<Dashboard>(`${files.dashboards}/${name}`)]));
}

/** A dashboard's panels, those inside rows included; rows themselves left out. */
export function panelsOf(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((panel) => (panel.type === 'row' ? (panel.panels ?? []) : [panel]));
}

/** Every query of a dashboard with the panel it belongs to and the data source it runs against. */
export function queriesOf(dashboard: Dashboard): { panel: Panel; target: Target; datasource: DatasourceRef | undefined }[] {
  return panelsOf(dashboard).flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel, target, datasource: target.datasource ?? panel.datasource })));
}
