import { plain, type ArchivePublishProgress, type ParkedOutcome } from '@warren/operations';
import type { RunContext } from './context.ts';

/** Left-aligned columns separated by two spaces; `null`/empty cells print as `-`. */
export function table(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const cells = [header, ...rows.map((row) => row.map((cell) => (cell === null || cell === '' ? '-' : String(cell))))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column]?.length ?? 0)));
  return cells.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ')).join('\n') + '\n';
}

/** Cuts `value` to `max` characters on one line, marking the cut with `…`. */
export function truncate(value: string, max: number): string {
  const line = value.replace(/\s+/g, ' ');
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** `3d 4h`, `5m 12s`, `800ms`: the two largest units of a duration. */
export function duration(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))}ms`;
  const units: [string, number][] = [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]];
  let rest = Math.floor(ms / 1_000);
  const parts: string[] = [];
  for (const [name, size] of units) {
    if (rest >= size || parts.length > 0) {
      parts.push(`${Math.floor(rest / size)}${name}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** Writes `key  value` lines aligned on the longest key; multi-line values are indented below. */
export function keyValues(entries: readonly (readonly [string, unknown])[], indent = '  '): string {
  const width = Math.max(0, ...entries.map(([key]) => key.length));
  return entries
    .map(([key, value]) => {
      const shown = plain(value);
      const rendered = typeof shown === 'string' ? shown : JSON.stringify(shown);
      const [first = '', ...rest] = rendered.split('\n');
      return [`${indent}${key.padEnd(width)}  ${first}`, ...rest.map((line) => `${indent}${' '.repeat(width + 2)}${line}`)].join('\n');
    })
    .join('\n') + '\n';
}

/** A progress line on stderr per report of a long publish: `recover: 500/1200 published to q (up to seq 812)`. */
export function progressTo(context: RunContext, label: string): (progress: ArchivePublishProgress) => void {
  return ({ published, total, queue, seq }) => context.stderr.write(`${label}: ${published}/${total} published to ${queue} (up to seq ${seq})\n`);
}

/** `id  type  from -> to`: one message of a replay or redirect. */
export function outcomeLine(outcome: ParkedOutcome): string {
  return `${outcome.id ?? '(no id)'}  ${outcome.type ?? '-'}  ${outcome.from} -> ${outcome.to ?? '-'}`;
}
