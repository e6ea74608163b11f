import type { WriteTally } from './post-item.ts';
import type { BenchResults } from './results.ts';
import type { Summary } from './stats.ts';

type Row = [string, ...string[]];

/**
 * A markdown table whose columns are padded to line up: the first column to the left, the others
 * to the right (figures) unless `values` is 'left' (text).
 */
export function table(header: Row, rows: Row[], values: 'left' | 'right' = 'right'): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(3, ...all.map((row) => (row[column] ?? '').length)));
  const left = (column: number): boolean => column === 0 || values === 'left';
  const line = (row: string[]): string =>
    `| ${widths.map((width, column) => (left(column) ? (row[column] ?? '').padEnd(width) : (row[column] ?? '').padStart(width))).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (left(column) ? ` ${'-'.repeat(width)} ` : ` ${'-'.repeat(width - 1)}: `)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

const integer = (value: number): string => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '–');
const ms = (value: number): string => (Number.isFinite(value) ? value.toFixed(value < 10 ? 2 : 1) : '–');
const seconds = (valueMs: number): string => (Number.isFinite(valueMs) ? (valueMs / 1_000).toFixed(2) : '–');
const errors = (tally: WriteTally): string => {
  const kinds = Object.entries(tally.errors);
  return kinds.length === 0 ? '0' : kinds.map(([kind, count]) => `${kind}: ${count}`).join(', ');
};

function warnings({ serviceWarnings }: BenchResults): string {
  const entries = Object.entries(serviceWarnings);
  return entries.length === 0 ? '0' : entries.map(([service, { count, first }]) => `${service}: ${count} (first: ${first})`).join('; ');
}

function latencyRows(label: string, summary: Summary, withMax = false): Row[] {
  const rows: Row[] = [
    [`${label} p50 (ms)`, ms(summary.p50)],
    [`${label} p95 (ms)`, ms(summary.p95)],
    [`${label} p99 (ms)`, ms(summary.p99)],
  ];
  if (withMax) rows.push([`${label} max (ms)`, ms(summary.max)]);
  return rows;
}

function across(label: string, values: string[]): Row {
  return [label, ...values];
}

/** Renders every figure of a run as titled, aligned markdown tables. */
export function renderReport(results: BenchResults): string {
  const { machine, settings, raw, fullSpeed, fixedRate } = results;
  const sections: string[] = [];
  sections.push(
    `## Machine\n\n${table(
      ['machine', ''],
      [
        ['cores', String(machine.cores)],
        ['cpu', machine.cpu],
        ['memory (GiB)', String(machine.memoryGiB)],
        ['os', machine.os],
        ['node', machine.node],
        ['postgresql', machine.postgres],
        ['rabbitmq (erlang)', `${machine.rabbitmq} (${machine.erlang})`],
        ['load average at start (1/5/15 min)', machine.loadAverage.join(' / ')],
        ['service settings', Object.entries(settings.serviceEnv).map(([name, value]) => `${name}=${value}`).join(' ')],
      ],
      'left',
    )}`,
  );
  sections.push(
    `## Raw RabbitMQ baseline (amqplib, durable quorum queue, persistent, publisher confirms)\n\n${table(
      ['figure', 'value'],
      [
        ['messages', integer(raw.messages)],
        ['body (bytes)', integer(raw.bodyBytes)],
        ['confirm window / prefetch', `${raw.window} / ${raw.prefetch}`],
        ['first publish to last ack (s)', seconds(raw.elapsedMs)],
        ['messages/s end to end', integer(raw.perSecond)],
        ...latencyRows('publish to consume', raw.latencyMs, true),
      ],
    )}`,
  );
  const load = fullSpeed.load;
  sections.push(
    `## Warren at full speed (${load.concurrency} clients, ${settings.seconds} s)\n\n${table(
      ['figure', 'value'],
      [
        ['requests sent', integer(load.sent)],
        ['accepted (201)', integer(load.accepted)],
        ['errors by status', errors(load)],
        ['accepted writes/s', integer(load.acceptedPerSecond)],
        ...latencyRows('http POST', load.latencyMs),
        ['first write to last event applied by both (s)', seconds(fullSpeed.appliedWindowMs)],
        ['consumer backlog after the last answer (s)', seconds(fullSpeed.drainAfterLastAnswerMs)],
        ['events fully applied by both consumers/s', integer(fullSpeed.appliedPerSecond)],
        ...latencyRows('event to applied by both', fullSpeed.endToEnd.bothMs, true),
      ],
    )}`,
  );
  const pick = (select: (phase: (typeof fixedRate)[number]) => string): string[] => fixedRate.map(select);
  const latency = (label: string, select: (phase: (typeof fixedRate)[number]) => Summary, keys: (keyof Summary)[]): Row[] =>
    keys.map((key) => across(`${label} ${key} (ms)`, pick((phase) => ms(select(phase)[key]))));
  sections.push(
    `## Warren at fixed rates (open loop, ${settings.seconds} s each)\n\n${table(
      ['figure', ...pick((phase) => `${integer(phase.load.rate)}/s`)],
      [
        across('scheduled', pick((phase) => integer(phase.load.scheduled))),
        across('sent / unsent', pick((phase) => `${integer(phase.load.sent)} / ${integer(phase.load.unsent)}`)),
        across('accepted (201)', pick((phase) => integer(phase.load.accepted))),
        across('errors by status', pick((phase) => errors(phase.load))),
        across(`late (> ${settings.lateThresholdMs} ms behind schedule)`, pick((phase) => integer(phase.load.late))),
        across('max lag behind schedule (ms)', pick((phase) => ms(phase.load.maxLagMs))),
        across('accepted writes/s', pick((phase) => integer(phase.load.acceptedPerSecond))),
        ...latency('http POST', (phase) => phase.load.latencyMs, ['p50', 'p95', 'p99']),
        ...latency('http POST from schedule', (phase) => phase.load.latencyFromScheduleMs, ['p99']),
        ...latency('inventory event to applied', (phase) => phase.endToEnd.inventoryMs, ['p50', 'p95', 'p99', 'max']),
        ...latency('audit event to applied', (phase) => phase.endToEnd.auditMs, ['p50', 'p95', 'p99', 'max']),
        ...latency('both event to applied', (phase) => phase.endToEnd.bothMs, ['p50', 'p95', 'p99', 'max']),
      ],
    )}`,
  );
  sections.push(
    `## Warren vs. raw RabbitMQ\n\n${table(
      ['figure', 'value'],
      [
        ['raw baseline messages/s', integer(raw.perSecond)],
        ['Warren events fully applied by both/s', integer(fullSpeed.appliedPerSecond)],
        ['ratio', `${results.ratio.toFixed(3)} (${(results.ratio * 100).toFixed(1)} %)`],
        ['service warn/error log lines', warnings(results)],
        ['whole run (s)', results.totalSeconds.toFixed(1)],
      ],
    )}`,
  );
  return sections.join('\n\n');
}
