/** A header or property value as JSON-friendly data: AMQP timestamps become ISO strings, buffers text. */
export function plain(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    if (record['!'] === 'timestamp' && typeof record['value'] === 'number') return new Date(record['value'] * 1000).toISOString();
    return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, plain(inner)]));
  }
  return value;
}
