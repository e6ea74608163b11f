import { fingerprint } from './fingerprint.ts';
import type { ParkedEntry } from './parked-entry.ts';

/** How `groupParked` groups: by failure fingerprint, event type (routing key), failing queue or its service. */
export type GroupBy = 'fingerprint' | 'type' | 'queue' | 'service';

/** Parked messages that share one key. */
export interface ParkedGroup {
  by: GroupBy;
  /** The fingerprint hash, type, queue or service; `(unknown)` for a message without a type. */
  key: string;
  /** One line to show: the fingerprint's title (`Error: timeout after <n>ms`), else the key. */
  title: string;
  count: number;
  /** Earliest first failure and latest last failure of the group's messages (ISO); null when none has a time. */
  firstSeen: string | null;
  lastSeen: string | null;
  /** The message ids of the group, in the order given. */
  ids: (string | null)[];
  /** The group's most recent message (by last failure), as a sample of its error. */
  sample: ParkedEntry;
}

function keyOf(entry: ParkedEntry, by: GroupBy): { key: string; title: string } {
  if (by === 'fingerprint') {
    const { hash, title } = fingerprint(entry);
    return { key: hash, title };
  }
  const key = (by === 'type' ? entry.type : by === 'queue' ? entry.queue : entry.service) ?? '(unknown)';
  return { key, title: key };
}

const earlier = (a: string | null, b: string | null) => (a === null ? b : b === null || a <= b ? a : b);
const later = (a: string | null, b: string | null) => (a === null ? b : b === null || a >= b ? a : b);

/** Groups parked messages by `by`, largest group first (ties by key). Pure. */
export function groupParked(entries: readonly ParkedEntry[], by: GroupBy): ParkedGroup[] {
  const groups = new Map<string, ParkedGroup>();
  for (const entry of entries) {
    const { key, title } = keyOf(entry, by);
    const group = groups.get(key);
    if (!group) {
      groups.set(key, { by, key, title, count: 1, firstSeen: entry.firstFailureAt, lastSeen: entry.lastFailureAt, ids: [entry.id], sample: entry });
      continue;
    }
    group.count += 1;
    group.ids.push(entry.id);
    group.firstSeen = earlier(group.firstSeen, entry.firstFailureAt);
    if (entry.lastFailureAt !== null && (group.sample.lastFailureAt === null || entry.lastFailureAt > group.sample.lastFailureAt)) group.sample = entry;
    group.lastSeen = later(group.lastSeen, entry.lastFailureAt);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/** What `searchParked` looks for; every given field must match, and an empty query matches all. */
export interface ParkedQuery {
  /** Exact message id (or envelope id). */
  id?: string | undefined;
  correlationId?: string | undefined;
  subject?: string | undefined;
  /** An event type (`item.created`) or routing key (`item.created.v1`). */
  type?: string | undefined;
  /** The queue it failed in or the dead-letter queue it sits in. */
  queue?: string | undefined;
  /** Last failure at or after `from`, and before `to`. */
  from?: Date | undefined;
  to?: Date | undefined;
  /** Case-insensitive text anywhere in the error (type, code, message, stack top frame, broker reason) or the body. */
  text?: string | undefined;
}

function searchable(entry: ParkedEntry): string {
  const body = typeof entry.body === 'string' ? entry.body : JSON.stringify(entry.body);
  return [entry.error, entry.errorType, entry.errorCode, entry.errorMessage, entry.stackTopFrame, entry.death?.reason, body].filter((part) => part !== null && part !== undefined).join('\n').toLowerCase();
}

function failedWithin(entry: ParkedEntry, from: Date | undefined, to: Date | undefined): boolean {
  if (from === undefined && to === undefined) return true;
  if (entry.lastFailureAt === null) return false;
  const at = Date.parse(entry.lastFailureAt);
  return (from === undefined || at >= from.getTime()) && (to === undefined || at < to.getTime());
}

/** The entries that match every field of `query`, in the order given. Pure. */
export function searchParked(entries: readonly ParkedEntry[], query: ParkedQuery): ParkedEntry[] {
  const text = query.text?.toLowerCase();
  return entries.filter((entry) => {
    if (query.id !== undefined && entry.id !== query.id) return false;
    if (query.correlationId !== undefined && entry.correlationId !== query.correlationId) return false;
    if (query.subject !== undefined && entry.subject !== query.subject) return false;
    if (query.type !== undefined && ![entry.type, entry.routingKey, entry.eventType].includes(query.type)) return false;
    if (query.queue !== undefined && entry.queue !== query.queue && entry.deadLetterQueue !== query.queue) return false;
    if (!failedWithin(entry, query.from, query.to)) return false;
    return text === undefined || text === '' || searchable(entry).includes(text);
  });
}
