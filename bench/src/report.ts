import type { CpuPerEvent } from './cpu.ts';
import type { ProcessMemory } from './idle.ts';
import type { WriteTally } from './post-item.ts';
import { pairLabel, type Ratio } from './ratios.ts';
import type { RawBaselineResult } from './raw-baseline.ts';
import type { BenchResults, FixedRateResult, FullSpeedResult } from './results.ts';
import type { ServiceWarnings } from './service-logs.ts';
import type { Summary } from './stats.ts';
import { subjectLabels, type SubjectResult } from './subject.ts';

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

/** `catalog 150 · inventory 140 · …`: each process's resident memory, in the subject's process order. */
/** A process's name without the naive subject's prefix, so that both subjects' catalogs share a row. */
const processName = (name: string): string => name.replace(/^naive /, '');

export function memoryCell(memory: ProcessMemory[] | undefined): string {
  return memory ? memory.map(({ name, rssMiB }) => `${processName(name)} ${integer(rssMiB)}`).join(' · ') : '';
}

const warningCount = (serviceWarnings: ServiceWarnings): number => Object.values(serviceWarnings).reduce((total, { count }) => total + count, 0);

/**
 * The warn-or-worse lines of every subject, one line per distinct first message: which processes
 * of which subjects logged it, and how many such lines each logged (empty when none).
 */
export function warningLines(subjects: SubjectResult[]): string {
  const byMessage = new Map<string, string[]>();
  for (const subject of subjects) {
    for (const [process, { count, first }] of Object.entries(subject.serviceWarnings)) {
      const seen = byMessage.get(first) ?? [];
      seen.push(`${subjectLabels[subject.name]} ${process} ${count}`);
      byMessage.set(first, seen);
    }
  }
  return [...byMessage].map(([message, where]) => `- ${message} — ${where.join(', ')}`).join('\n');
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

const settingsText = (env: Record<string, string>): string => Object.entries(env).map(([name, value]) => `${name}=${value}`).join(' ') || '(none)';

/** `0.54 ×`, or `–` when not finite. */
export function times(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return `${value.toFixed(value < 10 ? 2 : 1)} ×`;
}

/** The text of a ratio's target column: `≥ 1.5 × met`, `≥ 0.75 × missed`, or empty. */
export function targetText({ value, atLeast }: Pick<Ratio, 'value' | 'atLeast'>): string {
  if (atLeast === undefined) return '';
  return `≥ ${atLeast} × ${value >= atLeast ? 'met' : 'missed'}`;
}

function machineSection(results: BenchResults): string {
  const { machine } = results;
  const rows: Row[] = [
    ['cores', String(machine.cores)],
    ['cpu', machine.cpu],
    ['memory (GiB)', String(machine.memoryGiB)],
    ['os', machine.os],
    ['node', machine.node],
    ['postgresql', machine.postgres],
    ['rabbitmq (erlang)', `${machine.rabbitmq} (${machine.erlang})`],
    ['load average at start (1/5/15 min)', machine.loadAverage.join(' / ')],
  ];
  const settings: Row[] = Object.values(results.subjects).map((subject) => [subjectLabels[subject.name], settingsText(subject.settings)]);
  const machineTable = `## Machine\n\n${table(['machine', ''], rows, 'left')}`;
  return settings.length === 0 ? machineTable : `${machineTable}\n\n${table(['subject', 'settings (besides ports, databases, vhost)'], settings, 'left')}`;
}

function rawSection(raw: RawBaselineResult): string {
  return `## Raw RabbitMQ baseline (amqplib, durable quorum queue, persistent, publisher confirms)\n\n${table(
    ['figure', 'value'],
    [
      ['messages', integer(raw.messages)],
      ['body (bytes)', integer(raw.bodyBytes)],
      ['confirm window / prefetch', `${raw.window} / ${raw.prefetch}`],
      ['first publish to last ack (s)', seconds(raw.elapsedMs)],
      ['messages/s end to end', integer(raw.perSecond)],
      ...latencyRows('publish to consume', raw.latencyMs, true),
    ],
  )}`;
}

/** One row across the report's columns: the raw baseline's cell (blank unless given), then each subject's. */
function subjectsSection(results: BenchResults): string {
  const { settings, raw } = results;
  const subjects = Object.values(results.subjects);
  const columns = [...(raw ? ['raw' as const] : []), ...subjects.map((subject) => subject.name)];
  const row = (label: string, cell: (subject: SubjectResult) => string, rawCell = ''): Row => [label, ...(raw ? [rawCell] : []), ...subjects.map(cell)];
  const full = (label: string, cell: (phase: FullSpeedResult) => string, rawCell = ''): Row => row(label, (subject) => cell(subject.fullSpeed), rawCell);
  const rows: Row[] = [
    full('full speed: accepted writes/s', (phase) => integer(phase.load.acceptedPerSecond)),
    full('full speed: errors', (phase) => errors(phase.load)),
    full('full speed: http POST p50 (ms)', (phase) => ms(phase.load.latencyMs.p50)),
    full('full speed: http POST p99 (ms)', (phase) => ms(phase.load.latencyMs.p99)),
    full('full speed: consumer backlog after the last answer (s)', (phase) => seconds(phase.drainAfterLastAnswerMs)),
    full('**events fully applied by both consumers/s** (raw: messages/s)', (phase) => integer(phase.appliedPerSecond), raw ? integer(raw.perSecond) : ''),
    full('full speed: event to applied by both p50 (ms)', (phase) => ms(phase.endToEnd.bothMs.p50)),
    full('full speed: event to applied by both p99 (ms)', (phase) => ms(phase.endToEnd.bothMs.p99)),
  ];
  const cpuNames = [...new Set(subjects.flatMap((subject) => subject.fullSpeed.cpu?.byProcess.map((entry) => processName(entry.name)) ?? []))];
  if (cpuNames.length > 0) {
    // One process's figure in one subject's column, blank where the subject has no such process.
    const processCell = (name: string, figure: (entry: CpuPerEvent['byProcess'][number]) => string) => (phase: FullSpeedResult) => {
      const entry = phase.cpu?.byProcess.find((candidate) => processName(candidate.name) === name);
      return entry ? figure(entry) : '';
    };
    const cpuCell = (name: string) => processCell(name, (entry) => entry.msPerEvent.toFixed(2));
    const syscallCell = (name: string) => processCell(name, (entry) => entry.syscallsPerEvent.toFixed(1));
    rows.push(
      full('**full speed: CPU per event, ms (all processes)**', (phase) => (phase.cpu ? phase.cpu.totalMsPerEvent.toFixed(2) : '')),
      ...cpuNames.map((name) => full(`full speed: CPU per event, ms: ${name}`, cpuCell(name))),
      full('full speed: read + write system calls per event (all processes)', (phase) => (phase.cpu ? phase.cpu.totalSyscallsPerEvent.toFixed(1) : '')),
      ...cpuNames.map((name) => full(`full speed: system calls per event: ${name}`, syscallCell(name))),
    );
  }
  settings.rates.forEach((rate, index) => {
    const at = (label: string, cell: (phase: FixedRateResult) => string): Row =>
      row(`${integer(rate)}/s: ${label}`, (subject) => {
        const phase = subject.fixedRate[index];
        return phase ? cell(phase) : '';
      });
    rows.push(
      at('accepted writes/s', (phase) => integer(phase.load.acceptedPerSecond)),
      at('errors', (phase) => errors(phase.load)),
      at(`late (> ${settings.lateThresholdMs} ms) / unsent`, (phase) => `${integer(phase.load.late)} / ${integer(phase.load.unsent)}`),
      at('http POST from schedule p99 (ms)', (phase) => ms(phase.load.latencyFromScheduleMs.p99)),
      at('inventory event to applied p99 (ms)', (phase) => ms(phase.endToEnd.inventoryMs.p99)),
      at('audit event to applied p99 (ms)', (phase) => ms(phase.endToEnd.auditMs.p99)),
      at('event to applied by both p50 (ms)', (phase) => ms(phase.endToEnd.bothMs.p50)),
      at('event to applied by both p95 (ms)', (phase) => ms(phase.endToEnd.bothMs.p95)),
      at('**event to applied by both p99 (ms)**', (phase) => ms(phase.endToEnd.bothMs.p99)),
      at('event to applied by both max (ms)', (phase) => ms(phase.endToEnd.bothMs.max)),
    );
  });
  if (subjects.some((subject) => subject.idle)) {
    const idle = (cell: (idle: NonNullable<SubjectResult['idle']>) => string) => (subject: SubjectResult) => (subject.idle ? cell(subject.idle) : '');
    rows.push(
      row('idle: CPU, % of one core (all its processes)', idle((measured) => measured.processes.reduce((sum, process) => sum + process.cpuPercent, 0).toFixed(1))),
      row('idle: database transactions/s (all its databases)', idle((measured) => measured.databases.reduce((sum, database) => sum + database.transactionsPerSecond, 0).toFixed(1))),
      row('RSS at rest, MiB (each process)', (subject) => memoryCell(subject.idle?.memory)),
    );
  }
  if (subjects.some((subject) => subject.memoryAfterFullSpeed)) rows.push(row('RSS after full speed, MiB (each process)', (subject) => memoryCell(subject.memoryAfterFullSpeed)));
  rows.push(
    row('start-up (s)', (subject) => subject.startSeconds.toFixed(1)),
    row('warn/error log lines (below)', (subject) => integer(warningCount(subject.serviceWarnings))),
  );
  if (subjects.some((subject) => subject.otlp)) {
    rows.push(row('OTLP exports received (requests / MiB)', (subject) => (subject.otlp ? `${integer(subject.otlp.requests)} / ${(subject.otlp.bytes / 2 ** 20).toFixed(1)}` : '')));
  }
  const notes = warningLines(subjects);
  return `## Subjects side by side (full speed: ${settings.concurrency} clients, ${settings.seconds} s; fixed rates: open loop, ${settings.seconds} s each)\n\n${table(
    ['figure', ...columns.map((name) => subjectLabels[name])],
    rows,
  )}${notes ? `\n\nWarn/error log lines (first message; subject, process, lines):\n${notes}` : ''}`;
}

function ratiosSection(ratios: Ratio[]): string {
  const rows: Row[] = ratios.map((entry) => [entry.figure, pairLabel(entry), times(entry.value), targetText(entry)]);
  return `## Ratios (throughput: higher is better; latency: above 1 × = slower)\n\n${table(['figure', 'pair', 'ratio', 'target'], rows)}`;
}

/** Renders every figure of a run as titled, aligned markdown tables: one column per subject, then the ratios. */
export function renderReport(results: BenchResults): string {
  const sections = [machineSection(results)];
  if (results.raw) sections.push(rawSection(results.raw));
  if (Object.keys(results.subjects).length > 0) sections.push(subjectsSection(results));
  if (results.ratios.length > 0) sections.push(ratiosSection(results.ratios));
  sections.push(`Whole run: ${results.totalSeconds.toFixed(1)} s.`);
  return sections.join('\n\n');
}
