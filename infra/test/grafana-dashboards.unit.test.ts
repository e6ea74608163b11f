import { describe, expect, it } from 'vitest';
import { loadDashboards, loadDatasources, panelsOf, queriesOf, type Dashboard } from './grafana.ts';
import { knownMetrics, rabbitmqDetailedFamilies, serviceMetrics } from './known-metrics.ts';
import { familyMetricNames, regexAccepts, selectorsOf, substituteGrafanaVariables } from './queries.ts';
import { readRepoYaml, repoFileAt } from './repo-files.ts';
import { apps, compose, files, prometheus, service } from './stack.ts';

const dashboards = loadDashboards();
const datasources = loadDatasources().expanded;
const typeOfUid = new Map(datasources.map(({ uid, type }) => [uid, type]));
const grafanaService = service('grafana');

function dashboard(name: string): Dashboard {
  const found = dashboards.get(name);
  if (!found) throw new Error(`no dashboard ${name}.json`);
  return found;
}

/**
 * The Prometheus queries of a dashboard, with the variables they use and the metric names they
 * name. promtool.int.test.ts checks them as PromQL; the e2e test runs them against live series.
 */
function promqlOf(board: Dashboard) {
  return queriesOf(board)
    .filter(({ datasource }) => datasource?.uid && typeOfUid.get(datasource.uid) === 'prometheus')
    .map(({ panel, target }) => {
      const expr = target.expr ?? '';
      return { panel: panel.title, expr, variables: substituteGrafanaVariables(expr).variables, metrics: familyMetricNames(expr) };
    });
}

const allDashboards = [...dashboards.entries()];
const scrapedDetailed = (prometheus.scrape_configs.find((job) => job.metrics_path === '/metrics/detailed')?.params?.['family'] ?? []).flatMap(
  (family) => rabbitmqDetailedFamilies[family] ?? [],
);
/** Index labels of the log streams (config.alloy): the only ones a stream selector can use. */
const lokiLabels = ['service', 'container', 'level'];

describe('Grafana dashboard provisioning', () => {
  it('loads the dashboards directory that compose mounts', () => {
    const providers = readRepoYaml<{ providers: { type: string; options: { path: string } }[] }>(files.dashboardProviders).providers;
    expect(repoFileAt(grafanaService, '/etc/grafana/provisioning/dashboards/warren.yaml')).toBe(files.dashboardProviders);
    expect(providers.map(({ type, options }) => [type, repoFileAt(grafanaService, options.path)])).toEqual([['file', files.dashboards]]);
  });

  it('has one dashboard per service, one for messaging and one for RabbitMQ', () => {
    expect([...dashboards.keys()].sort()).toEqual([...apps, 'messaging', 'rabbitmq'].sort());
  });

  it('gives every dashboard a unique uid and title', () => {
    const uids = allDashboards.map(([, board]) => board.uid);
    const titles = allDashboards.map(([, board]) => board.title);
    for (const uid of uids) expect(uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(new Set(uids).size).toBe(uids.length);
    expect(new Set(titles).size).toBe(titles.length);
  });
});

describe.each(allDashboards)('dashboard %s', (_name, board) => {
  it('points every panel, query and variable at a provisioned data source', () => {
    const panels = panelsOf(board);
    expect(panels.length).toBeGreaterThan(0);
    for (const panel of panels) {
      expect(typeOfUid.get(panel.datasource?.uid ?? ''), `panel ${panel.title}`).toBe(panel.datasource?.type);
      for (const target of panel.targets ?? []) {
        expect(target.datasource?.uid ?? panel.datasource?.uid, `${panel.title} ${target.refId}`).toBe(panel.datasource?.uid);
      }
      expect(panel.targets?.length, `${panel.title} queries`).toBeGreaterThan(0);
    }
    for (const variable of board.templating?.list ?? []) {
      if (variable.type === 'query') expect(typeOfUid.get(variable.datasource?.uid ?? ''), `variable ${variable.name}`).toBe(variable.datasource?.type);
    }
  });

  it('has unique panel ids and a place on the grid for each', () => {
    const ids = board.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of board.panels) expect(panel.gridPos, panel.title).toBeDefined();
  });

  it('queries Prometheus over known metrics and defined variables', () => {
    const variables = (board.templating?.list ?? []).map(({ name }) => name);
    for (const query of promqlOf(board)) {
      expect(query.expr.trim(), query.panel).not.toBe('');
      for (const metric of query.metrics) expect([...knownMetrics], `${query.panel}`).toContain(metric);
      for (const metric of query.metrics.filter((name) => name.startsWith('rabbitmq_detailed_'))) expect(scrapedDetailed, query.panel).toContain(metric);
      for (const variable of query.variables) expect(variables, `${query.panel} uses $${variable}`).toContain(variable);
    }
  });

  it('queries Loki on index labels Alloy sets, for services compose runs', () => {
    const logQueries = queriesOf(board).filter(({ datasource }) => typeOfUid.get(datasource?.uid ?? '') === 'loki');
    for (const { target } of logQueries) {
      const selector = /^\{([^}]*)\}/.exec(target.expr ?? '')?.[1] ?? '';
      const matchers = [...selector.matchAll(/(\w+)\s*(=~|!~|!=|=)\s*"([^"]*)"/g)];
      expect(matchers.length, target.expr).toBeGreaterThan(0);
      for (const [, label = '', op, value = ''] of matchers) {
        expect(lokiLabels, target.expr).toContain(label);
        if (label === 'service' && op === '=') expect(Object.keys(compose.services)).toContain(value);
      }
    }
  });
});

describe('service dashboards', () => {
  // Audit writes no events, so its outbox panel shows what it applies instead; the console neither
  // writes nor consumes events, so it shows the rate of operator actions.
  const ownPanel = { catalog: 'Outbox pending', inventory: 'Outbox pending', audit: 'Events applied / s', console: 'Operator actions / s' } as const;
  const ownMetric = { catalog: 'warren_outbox_pending', inventory: 'warren_outbox_pending', audit: 'warren_messages_consumed_total', console: 'http_request_duration_seconds_count' } as const;
  const template = (app: (typeof apps)[number]) => {
    const board = dashboard(app);
    const panels = board.panels.map((panel) => (panel.title === ownPanel[app] ? { id: panel.id, gridPos: panel.gridPos } : panel));
    return JSON.stringify({ ...board, panels }).replaceAll(app, '<service>');
  };

  it('are the same dashboard for catalog, inventory and audit, apart from the name and the outbox panel', () => {
    for (const app of apps) expect(template(app), app).toBe(template('catalog'));
  });

  it.each(apps)('%s shows its outbox backlog if it has an outbox, else the events it applies', (app) => {
    const [query] = promqlOf(dashboard(app)).filter(({ panel }) => panel === ownPanel[app]);
    expect(query?.metrics).toEqual([ownMetric[app]]);
  });

  it.each(apps)('%s selects its own series only', (app) => {
    for (const query of promqlOf(dashboard(app))) {
      const selectors = selectorsOf(query.expr);
      expect(selectors.length, `${query.panel}: ${query.expr}`).toBeGreaterThan(0);
      for (const { matchers } of selectors) expect(matchers, `${query.panel}: ${query.expr}`).toMatch(new RegExp(`(^|, *)(service|job)="${app}"(,|$)`));
    }
  });

  it.each(apps)('%s shows request rate, 5xx errors and p50/p95/p99 latency by route', (app) => {
    const queries = promqlOf(dashboard(app));
    const byRoute = queries.filter(({ expr }) => /\bsum by \((le, )?route[,)]/.test(expr));
    expect(byRoute.some(({ metrics }) => metrics.includes('http_request_duration_seconds_count'))).toBe(true);
    const statusPatterns = byRoute.flatMap(({ expr }) => [...expr.matchAll(/\bstatus=~"([^"]*)"/g)].map(([, pattern = '']) => pattern));
    expect(statusPatterns.some((pattern) => regexAccepts(pattern, '503') && !regexAccepts(pattern, '404'))).toBe(true);
    for (const quantile of ['0.5', '0.95', '0.99']) {
      expect(
        byRoute.some(({ expr, metrics }) => expr.startsWith(`histogram_quantile(${quantile},`) && metrics.includes('http_request_duration_seconds_bucket')),
        `p${quantile}`,
      ).toBe(true);
    }
  });
});

describe('messaging dashboard', () => {
  const queries = promqlOf(dashboard('messaging'));
  const used = new Set(queries.flatMap(({ metrics }) => metrics));

  it('shows every Warren messaging and outbox metric', () => {
    const messaging = [...serviceMetrics.counters, ...serviceMetrics.gauges];
    const histograms = serviceMetrics.histograms.filter((name) => name !== 'http_request_duration_seconds');
    for (const metric of messaging) expect([...used]).toContain(metric);
    for (const metric of histograms) expect([...used], metric).toContain(`${metric}_bucket`);
  });

  it('breaks deliveries down by result and by handler', () => {
    const consumed = queries.filter(({ metrics }) => metrics.includes('warren_messages_consumed_total'));
    expect(consumed.some(({ expr }) => /sum by \(result\)/.test(expr))).toBe(true);
    expect(consumed.some(({ expr }) => /sum by \(handler, result\)/.test(expr))).toBe(true);
  });

  it('shows end-to-end latency at p50, p95 and p99', () => {
    for (const quantile of ['0.5', '0.95', '0.99']) {
      expect(queries.some(({ expr, metrics }) => expr.startsWith(`histogram_quantile(${quantile},`) && metrics.includes('warren_event_end_to_end_seconds_bucket')), quantile).toBe(true);
    }
  });

  it('shows the depth of each dead-letter queue, and only those, in that panel', () => {
    const panel = queriesOf(dashboard('messaging')).find(({ panel: { title } }) => title === 'Dead-letter queue depth');
    // As Grafana sends it with every service selected: a multi-value variable becomes (a|b|c).
    const sent = substituteGrafanaVariables(panel?.target.expr ?? '', { service: `(${apps.join('|')})` }).expr;
    expect(selectorsOf(sent).map(({ metric }) => metric)).toEqual(['rabbitmq_detailed_queue_messages']);
    expect(panel?.target.expr).toMatch(/^sum by \(queue\)/);
    const queue = /\bqueue=~"([^"]*)"/.exec(sent)?.[1];
    expect(queue).toBeDefined();
    for (const app of apps) expect(regexAccepts(queue ?? '', `${app}.some-handler.dlq`), app).toBe(true);
    expect(regexAccepts(queue ?? '', 'inventory.item-created')).toBe(false);
    expect(regexAccepts(queue ?? '', 'inventory.item-created.retry.1')).toBe(false);
  });
});

describe('RabbitMQ dashboard', () => {
  const used = new Set(promqlOf(dashboard('rabbitmq')).flatMap(({ metrics }) => metrics));

  it('shows connections, channels, queue depth, publish/deliver/ack rates and unroutable messages', () => {
    for (const metric of [
      'rabbitmq_connections',
      'rabbitmq_channels',
      'rabbitmq_detailed_queue_messages',
      'rabbitmq_global_messages_received_total',
      'rabbitmq_global_messages_delivered_total',
      'rabbitmq_global_messages_acknowledged_total',
      'rabbitmq_global_messages_unroutable_returned_total',
    ]) {
      expect([...used]).toContain(metric);
    }
  });
});
