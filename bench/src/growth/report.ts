import { table } from '../report.ts';
import type { Summary } from '../stats.ts';
import type { ArchiveMeasurement } from './archive.ts';
import type { PayloadResult } from './payload.ts';
import type { ScaleResult } from './scale.ts';

/** What one growth run measured; a part not run is absent. */
export interface GrowthResults {
  archive?: ArchiveMeasurement[];
  payload?: PayloadResult[];
  instances?: ScaleResult[];
  prefetch?: ScaleResult[];
}

const ms = (value: number): string => (Number.isFinite(value) ? value.toFixed(value < 10 ? 2 : 1) : '–');
const integer = (value: number): string => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '–');
const p50p99 = (summary: Summary): string => `${ms(summary.p50)} / ${ms(summary.p99)}`;

function archiveSection(archive: ArchiveMeasurement[]): string {
  const rows: [string, ...string[]][] = [
    ['published rows kept', ...archive.map((entry) => integer(entry.archivedRows))],
    ['write: lock + outbox insert, p50 / p99 (ms)', ...archive.map((entry) => p50p99(entry.writeMs))],
    ['relay claim, p50 / p99 (ms)', ...archive.map((entry) => p50p99(entry.claimMs))],
    ['retention run: rows deleted', ...archive.map((entry) => integer(entry.retention.deleted))],
    ['retention run: time (ms)', ...archive.map((entry) => integer(entry.retention.ms))],
    ['retention run: rows deleted/s', ...archive.map((entry) => integer(entry.retention.rowsPerSecond))],
  ];
  const plans = archive
    .map((entry) => `### Plans with ${entry.label}\n\nClaim:\n\n\`\`\`\n${entry.claimPlan}\n\`\`\`\n\nRetention delete:\n\n\`\`\`\n${entry.retentionPlan}\n\`\`\``)
    .join('\n\n');
  return `## Archive size\n\n${table(['figure', ...archive.map((entry) => entry.label)], rows)}\n\n${plans}`;
}

function payloadSection(payload: PayloadResult[]): string {
  const rows: [string, ...string[]][] = payload.map((entry) => [
    `${integer(entry.dataBytes / 1_024)} KB`,
    integer(entry.rate),
    integer(entry.writtenPerSecond),
    integer(entry.appliedPerSecond),
    p50p99(entry.endToEnd.bothMs),
    ms(entry.endToEnd.bothMs.max),
  ]);
  return `## Payload size (events written into the catalog outbox at a fixed rate)\n\n${table(['data', 'rate (/s)', 'written/s', 'applied by both/s', 'event to applied by both p50 / p99 (ms)', 'max (ms)'], rows)}`;
}

function scaleSection(title: string, results: ScaleResult[]): string {
  const rows: [string, ...string[]][] = results.map((entry) => [
    entry.label,
    integer(entry.acceptedPerSecond),
    ms(entry.httpP99Ms),
    integer(entry.appliedPerSecond),
    p50p99(entry.endToEnd.bothMs),
  ]);
  return `## ${title}\n\n${table(['', 'accepted writes/s', 'http POST p99 (ms)', 'applied by both/s', 'event to applied by both p50 / p99 (ms)'], rows)}`;
}

/** The growth run as markdown: one table per part, the archive's query plans after its table. */
export function renderGrowthReport(results: GrowthResults, totalSeconds: number): string {
  const sections: string[] = [];
  if (results.archive) sections.push(archiveSection(results.archive));
  if (results.payload) sections.push(payloadSection(results.payload));
  if (results.instances) sections.push(scaleSection('Catalog instances (full speed)', results.instances));
  if (results.prefetch) sections.push(scaleSection('Consumer prefetch (full speed, one catalog)', results.prefetch));
  sections.push(`Whole run: ${totalSeconds.toFixed(1)} s.`);
  return sections.join('\n\n');
}
