import { describe, expect, it } from 'vitest';
import { knownMetrics, rabbitmqDetailedFamilies } from './known-metrics.ts';
import { familyMetricNames } from './queries.ts';
import { readRepoYaml } from './repo-files.ts';
import { files, prometheus } from './stack.ts';

interface AlertRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface AlertTestFile {
  rule_files: string[];
  tests: { name: string; alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
}

const groups = readRepoYaml<{ groups: { name: string; rules: AlertRule[] }[] }>(files.alerts).groups;
const rules = groups.flatMap((group) => group.rules);
const alerts = rules.filter((rule) => rule.alert !== undefined);
const alertTests = readRepoYaml<AlertTestFile>(files.alertTests);
const cases = alertTests.tests.flatMap((test) => test.alert_rule_test ?? []);

// What the alerts are, as infra/README.md lists them; each one's behaviour is in files.alertTests.
const expectedAlerts = [
  'WarrenOutboxBacklogHigh',
  'WarrenOutboxBacklogGrowing',
  'WarrenOutboxStale',
  'WarrenMessagesDeadLettered',
  'RabbitMQDeadLetterQueueNotEmpty',
  'RabbitMQQueueWithoutConsumers',
  'RabbitMQRedeliveries',
  'RabbitMQUnroutableMessages',
  'ScrapeTargetDown',
];

describe('Prometheus alert rules', () => {
  it('are all alerts, in named groups, with unique names', () => {
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) expect(group.name).toMatch(/^[a-z][a-z-]+$/);
    const names = rules.map((rule) => rule.alert);
    expect(names.every((name) => name !== undefined && /^[A-Z][A-Za-z]+$/.test(name))).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });

  it('are the alerts the README promises', () => {
    expect(alerts.map((rule) => rule.alert).sort()).toEqual([...expectedAlerts].sort());
  });

  it.each(alerts.map((rule) => [rule.alert, rule] as const))('%s has expr, for, a severity and a summary', (_name, rule) => {
    expect(rule.expr.trim()).not.toBe('');
    expect(rule.for).toMatch(/^\d+[smhd]$/);
    expect(['warning', 'critical']).toContain(rule.labels?.['severity']);
    expect(rule.annotations?.['summary']?.trim()).toBeTruthy();
  });

  it.each(alerts.map((rule) => [rule.alert, rule] as const))('%s names only known metrics', (_name, rule) => {
    for (const metric of familyMetricNames(rule.expr)) expect([...knownMetrics], metric).toContain(metric);
  });

  it('selects only per-queue metrics of the families Prometheus asks RabbitMQ for', () => {
    const job = prometheus.scrape_configs.find((candidate) => candidate.metrics_path === '/metrics/detailed');
    const scraped = (job?.params?.['family'] ?? []).flatMap((family) => rabbitmqDetailedFamilies[family] ?? []);
    for (const { expr } of alerts) {
      for (const metric of familyMetricNames(expr).filter((name) => name.startsWith('rabbitmq_detailed_'))) expect(scraped).toContain(metric);
    }
  });

  it.each(alerts.map((rule) => [rule.alert] as const))('%s has a promtool unit test where it fires and one where it stays quiet', (name) => {
    expect(alertTests.rule_files).toEqual(['../alerts.yml']);
    const own = cases.filter((test) => test.alertname === name);
    expect(own.some((test) => test.exp_alerts.length > 0), 'a firing case').toBe(true);
    expect(own.some((test) => test.exp_alerts.length === 0), 'a quiet case').toBe(true);
  });
});
