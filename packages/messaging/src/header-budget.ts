/**
 * Bytes a failure copy's header table may take. amqplib encodes a header table into a 64 KiB
 * scratch buffer (and the whole content header must fit in one frame: 128 KiB negotiated by
 * default with RabbitMQ 3.x/4.x), so a table past 64 KiB cannot be published at all. Half of that
 * leaves room for the broker's own additions on the way through a delay queue (`x-death`) and
 * for `warren dlq replay`'s headers, and still fits a broker whose `frame_max` was lowered to 64 KiB.
 */
export const headerBudgetBytes = 32 * 1024;

/** Names and sizes of the headers left off a copy, as `name=bytes` joined by commas. */
export const truncatedHeader = 'x-warren-headers-truncated';

const markerMaxBytes = 1_024;

/**
 * Bytes `value` takes as an AMQP field value (type octet included), as amqplib encodes it; an
 * upper bound for numbers, which amqplib may encode narrower.
 */
function valueSize(value: unknown): number {
  if (value === null || value === undefined) return 1;
  if (typeof value === 'string') return 5 + Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number' || typeof value === 'bigint' || value instanceof Date) return 9;
  if (typeof value === 'boolean') return 2;
  if (Buffer.isBuffer(value)) return 5 + value.length;
  if (Array.isArray(value)) return 5 + value.reduce((sum: number, item) => sum + valueSize(item), 0);
  if (typeof value === 'object') {
    // amqplib's explicit form { '!': type, value }
    if ('!' in value && 'value' in value) return valueSize(value.value);
    return 1 + tableSize(value as Record<string, unknown>);
  }
  // Functions and symbols: amqplib cannot encode them; count them as a number would take.
  return 9;
}

/** Bytes one table entry takes: its name (a short string) and its value. */
export function entrySize(name: string, value: unknown): number {
  return 1 + Buffer.byteLength(name, 'utf8') + valueSize(value);
}

/** Bytes `table` takes as an AMQP field table, its length prefix included. */
export function tableSize(table: Readonly<Record<string, unknown>>): number {
  return 4 + Object.entries(table).reduce((sum, [name, value]) => sum + entrySize(name, value), 0);
}

function marker(dropped: readonly [string, number][]): string {
  let text = '';
  for (const [index, [name, size]] of dropped.entries()) {
    const part = `${text ? ',' : ''}${name}=${size}`;
    const more = `,+${dropped.length - index} more`;
    if (Buffer.byteLength(text + part + more, 'utf8') > markerMaxBytes) return text + more;
    text += part;
  }
  return text;
}

/**
 * Headers for a copy that always fits: `required` entirely (the caller keeps it small), then
 * `preferred` and `rest` entry by entry in that order, each kept while the table stays within
 * `budget` bytes; an entry that does not fit is left off and the next is tried. When anything is
 * left off, `x-warren-headers-truncated` names each dropped header with its size in bytes.
 */
export function boundHeaders(
  required: Readonly<Record<string, unknown>>,
  optional: Readonly<Record<string, unknown>>,
  preferred: readonly string[],
  budget = headerBudgetBytes,
): Record<string, unknown> {
  const kept: Record<string, unknown> = { ...required };
  // The marker's worst case is reserved up front so adding it can never overflow the budget.
  let used = tableSize(kept) + entrySize(truncatedHeader, 'x'.repeat(markerMaxBytes));
  const dropped: [string, number][] = [];
  const names = Object.keys(optional).filter((name) => !(name in required));
  const ordered = [...names.filter((name) => preferred.includes(name)), ...names.filter((name) => !preferred.includes(name))];
  for (const name of ordered) {
    const size = entrySize(name, optional[name]);
    if (used + size <= budget) {
      kept[name] = optional[name];
      used += size;
    } else {
      dropped.push([name, size]);
    }
  }
  if (dropped.length > 0) kept[truncatedHeader] = marker(dropped);
  return kept;
}
