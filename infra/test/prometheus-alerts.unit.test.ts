import { describe, expect, it } from 'vitest';
import { consumeResults, knownMetrics, rabbitmqDetailedFamilies } from './known-metrics.ts';
import { regexAccepts, summarizePromql, type LabelMatcher } from './promql.ts';
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

const groups = readRepoYaml<{ groups: { name: string; rules: AlertRule[] }[] }>(files.alerts).groups;
const rules = groups.flatMap((group) => group.rules);
const alerts = rules.map((rule) => ({ ...rule, promql: summarizePromql(rule.expr) }));

/** The alerts whose expression selects a metric. */
function alertsOn(metric: string) {
  return alerts.filter(({ promql }) => promql.metrics.includes(metric));
}

function matcher(matchers: LabelMatcher[], metric: string, label: string): LabelMatcher | undefined {
  return matchers.find((candidate) => candidate.metric === metric && candidate.label === label);
}

/** Whether a selector with these matchers on `queue` would select a queue of that name. */
function selectsQueue(found: LabelMatcher | undefined, queue: string): boolean {
  if (!found) return true;
  const accepted = found.op === '=~' || found.op === '!~' ? regexAccepts(found.value, queue) : found.value === queue;
  return found.op === '=' || found.op === '=~' ? accepted : !accepted;
}

const workQueue = 'inventory.item-created';
const deadLetterQueue = `${workQueue}.dlq`;
const retryQueues = [`${workQueue}.retry.1`, `${workQueue}.retry.12`];

describe('Prometheus alert rules', () => {
  it('are all alerts, in named groups, with unique names', () => {
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) expect(group.name).toMatch(/^[a-z][a-z-]+$/);
    const names = rules.map((rule) => rule.alert);
    expect(names.every((name) => name !== undefined && /^[A-Z][A-Za-z]+$/.test(name))).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(alerts.map((rule) => [rule.alert, rule] as const))('%s has expr, for, a severity and a summary', (_name, rule) => {
    expect(rule.expr.trim()).not.toBe('');
    expect(rule.for).toMatch(/^\d+[smhd]$/);
    expect(['warning', 'critical']).toContain(rule.labels?.['severity']);
    expect(rule.annotations?.['summary']?.trim()).toBeTruthy();
  });

  it.each(alerts.map((rule) => [rule.alert, rule] as const))('%s is valid PromQL over known metrics', (_name, rule) => {
    expect(rule.promql.errors).toEqual([]);
    expect(rule.promql.metrics.length).toBeGreaterThan(0);
    for (const metric of rule.promql.metrics) expect([...knownMetrics], metric).toContain(metric);
  });

  it.each(alerts.map((rule) => [rule.alert, rule] as const))('%s templates only labels its expression keeps', (_name, rule) => {
    const used = Object.values(rule.annotations ?? {}).flatMap((text) => [...text.matchAll(/\$labels\.(\w+)/g)].map((match) => match[1]));
    const kept = rule.promql.outputLabels;
    if (kept) for (const label of used) expect(kept, `$labels.${label}`).toContain(label);
  });

  it('selects only per-queue metrics of the families Prometheus asks RabbitMQ for', () => {
    const job = prometheus.scrape_configs.find((candidate) => candidate.metrics_path === '/metrics/detailed');
    const scraped = (job?.params?.['family'] ?? []).flatMap((family) => rabbitmqDetailedFamilies[family] ?? []);
    for (const { promql } of alerts) {
      for (const metric of promql.metrics.filter((name) => name.startsWith('rabbitmq_detailed_'))) expect(scraped).toContain(metric);
    }
  });

  it('warn of a high and of a growing outbox backlog', () => {
    const rulesOnPending = alertsOn('warren_outbox_pending');
    expect(rulesOnPending.some(({ expr }) => /\)\s*>\s*\d+\s*$/.test(expr))).toBe(true);
    expect(rulesOnPending.some(({ expr }) => /\b(deriv|delta|increase)\(warren_outbox_pending\[/.test(expr))).toBe(true);
  });

  it('warn when the oldest pending outbox row is older than a threshold', () => {
    expect(alertsOn('warren_outbox_oldest_pending_seconds').some(({ expr }) => /\)\s*>\s*\d+\s*$/.test(expr))).toBe(true);
  });

  it('warn of a work queue without consumers, not of dead-letter or retry queues', () => {
    const [rule] = alertsOn('rabbitmq_detailed_queue_consumers');
    expect(rule?.expr).toMatch(/==\s*0\s*$/);
    const queueMatcher = matcher(rule?.promql.matchers ?? [], 'rabbitmq_detailed_queue_consumers', 'queue');
    expect(selectsQueue(queueMatcher, workQueue)).toBe(true);
    expect(selectsQueue(queueMatcher, 'catalog.x')).toBe(true);
    expect(selectsQueue(queueMatcher, deadLetterQueue)).toBe(false);
    for (const queue of retryQueues) expect(selectsQueue(queueMatcher, queue), queue).toBe(false);
  });

  it('warn of redeliveries', () => {
    expect(alertsOn('rabbitmq_global_messages_redelivered_total').some(({ expr }) => /\brate\(rabbitmq_global_messages_redelivered_total\[/.test(expr))).toBe(true);
  });

  it('warn of dead-lettered deliveries and of dead-letter queues that are not empty', () => {
    const [deadLettered] = alertsOn('warren_messages_consumed_total');
    const result = matcher(deadLettered?.promql.matchers ?? [], 'warren_messages_consumed_total', 'result');
    expect(result).toMatchObject({ op: '=', value: 'dead_lettered' });
    expect(consumeResults).toContain(result?.value);
    expect(deadLettered?.expr).toMatch(/\bincrease\(warren_messages_consumed_total\{/);

    const [depth] = alertsOn('rabbitmq_detailed_queue_messages');
    const queueMatcher = matcher(depth?.promql.matchers ?? [], 'rabbitmq_detailed_queue_messages', 'queue');
    expect(selectsQueue(queueMatcher, deadLetterQueue)).toBe(true);
    expect(selectsQueue(queueMatcher, workQueue)).toBe(false);
    for (const queue of retryQueues) expect(selectsQueue(queueMatcher, queue), queue).toBe(false);
    expect(depth?.expr).toMatch(/>\s*0\s*$/);
  });

  it('warn of unroutable (returned) publishes', () => {
    expect(alertsOn('rabbitmq_global_messages_unroutable_returned_total').some(({ expr }) => /\bincrease\(rabbitmq_global_messages_unroutable_returned_total\[/.test(expr))).toBe(true);
  });
});
