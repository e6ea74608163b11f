import type { ParkedSearch } from '../parked/index-store.ts';
import type { ActionTarget } from '../operator.ts';

type Fields = Record<string, string | File | (string | File)[] | undefined>;

const one = (value: Fields[string]): string | undefined => {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.trim() !== '' ? first.trim().slice(0, 500) : undefined;
};
const many = (value: Fields[string]): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((entry): entry is string => typeof entry === 'string' && entry !== '').slice(0, 10_000);

/** The target of an action from a form or query: message ids, a fingerprint, a dead-letter queue. */
export function targetOf(fields: Fields): ActionTarget {
  const messageIds = many(fields['messageIds']);
  return {
    ...(messageIds.length > 0 ? { messageIds } : {}),
    ...(one(fields['fingerprint']) ? { fingerprint: one(fields['fingerprint']) } : {}),
    ...(one(fields['deadLetterQueue']) ? { deadLetterQueue: one(fields['deadLetterQueue']) } : {}),
  };
}

const date = (value: string | undefined) => {
  if (!value) return undefined;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
};

/** The index search a query string asks for; unknown or malformed values are ignored. */
export function searchOf(query: Record<string, string | undefined>): ParkedSearch {
  const text = (name: string) => (query[name]?.trim() ? query[name].trim().slice(0, 200) : undefined);
  const limit = Number(query['limit']);
  return {
    messageId: text('messageId'),
    correlationId: text('correlationId'),
    subject: text('subject'),
    eventType: text('eventType'),
    queue: text('queue'),
    deadLetterQueue: text('deadLetterQueue'),
    fingerprint: text('fingerprint'),
    service: text('service'),
    text: text('text'),
    from: date(text('from')),
    to: date(text('to')),
    limit: Number.isInteger(limit) && limit > 0 ? Math.min(limit, 1_000) : 200,
  };
}

/** The messages an action on `target` covers according to the index (a purge confirms this count). */
export function targetSearch(target: ActionTarget): ParkedSearch[] {
  if (target.messageIds?.length) return target.messageIds.map((messageId) => ({ messageId, deadLetterQueue: target.deadLetterQueue }));
  return [{ fingerprint: target.fingerprint, deadLetterQueue: target.deadLetterQueue }];
}
