import { createHash } from 'node:crypto';
import type { ParkedEntry } from './parked-entry.ts';

/** What `fingerprint` reads of a parked message (a `ParkedEntry` has all of it). */
export type FingerprintSource = Pick<ParkedEntry, 'parkedBy' | 'errorType' | 'errorCode' | 'errorMessage' | 'stackTopFrame' | 'death'>;

/** A failure's identity across messages: equal for the same bug hit with different data. */
export interface Fingerprint {
  /** 12 hex digits of a SHA-256 over the parts below. */
  hash: string;
  /** The error message with its variable parts replaced by placeholders, for display. */
  template: string;
  /** `Type [code]: template`, one line for a group's title. */
  title: string;
  /** The top stack frame as `file:function`, without line or column; null without a stack. */
  frame: string | null;
}

// Order matters: a timestamp or UUID contains numbers, a quoted string may contain anything.
const placeholders: readonly [RegExp, string][] = [
  [/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '<str>'],
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/gi, '<time>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  // A hex id has a digit and a letter and at least 8 characters, so words and plain numbers stay.
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<hex>'],
  // Not after a letter (`v1` in a routing key stays), but before one (`5000ms` is a number).
  [/(?<!\w)\d+(?:\.\d+)?/g, '<n>'],
];

/**
 * The message with its variable parts replaced: quoted strings → `<str>`, ISO timestamps →
 * `<time>`, UUIDs → `<uuid>`, hex ids (`0x…`, or 8+ hex digits mixing digits and letters) →
 * `<hex>`, other numbers → `<n>`; whitespace runs become one space.
 */
export function messageTemplate(message: string): string {
  let template = message.replace(/\s+/g, ' ').trim();
  for (const [pattern, placeholder] of placeholders) template = template.replace(pattern, placeholder);
  return template;
}

/**
 * A stack frame (`handler (file:///app/apps/inventory/src/x.ts:12:11)`) as `file:function`:
 * line and column dropped (a redeploy that shifts lines keeps the fingerprint), `file://` and
 * the path up to the last `node_modules/`, `apps/` or `packages/` segment dropped (the same code
 * under another root keeps it too), `async ` dropped. Anonymous frames are `<anonymous>`.
 */
export function frameKey(frame: string | null): string | null {
  if (frame === null) return null;
  const withFunction = /^(?:async\s+)?(.*?)\s+\((.*)\)$/.exec(frame);
  const fn = withFunction?.[1] || '<anonymous>';
  const location = (withFunction?.[2] ?? frame.replace(/^async\s+/, '')).replace(/^file:\/\//, '');
  const file = location.replace(/:\d+(?::\d+)?$/, '');
  const anchor = Math.max(file.lastIndexOf('node_modules/'), file.lastIndexOf('apps/'), file.lastIndexOf('packages/'));
  return `${anchor >= 0 ? file.slice(anchor) : file}:${fn}`;
}

/**
 * A stable short identity of a parked message's failure: SHA-256 over error type, code, message
 * template (`messageTemplate`) and top stack frame (`frameKey`). A broker dead-letter without
 * handler error counts as type `broker:<x-death reason>`. Pure.
 */
export function fingerprint(entry: FingerprintSource): Fingerprint {
  const type = entry.errorType ?? (entry.parkedBy === 'broker' || entry.death ? `broker:${entry.death?.reason ?? 'unknown'}` : 'unknown');
  const template = messageTemplate(entry.errorMessage ?? '');
  const frame = frameKey(entry.stackTopFrame);
  const hash = createHash('sha256').update(JSON.stringify([type, entry.errorCode ?? '', template, frame ?? ''])).digest('hex').slice(0, 12);
  const title = `${type}${entry.errorCode ? ` [${entry.errorCode}]` : ''}${template ? `: ${template}` : ''}`;
  return { hash, template, title, frame };
}
