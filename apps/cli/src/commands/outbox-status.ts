import { readOutboxStatus, type OutboxStatus } from '@warren/operations';
import { producingServices } from '../config.ts';
import type { Command, RunContext } from '../context.ts';
import { describeError } from '../errors.ts';
import { duration, table, truncate } from '../format.ts';
import { parseOptions } from '../options.ts';
import { withServiceDatabase } from '../sessions.ts';

const usage = `Usage: warren outbox status [--service S] [--json]

Per producing service: pending (unpublished) rows, age of the oldest pending row, rows
published in the last minute, and failing rows (pending with attempts > 0) with their last error.
  --service S   one service (default: ${producingServices.join(', ')}); its database is
                <SERVICE>_DATABASE_URL, default postgres://<service>@127.0.0.1:5432/<service>
  --json        one JSON array, one object per service
`;

const options = {
  service: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

function failureLines(status: OutboxStatus): string {
  if (status.failures.length === 0) return '';
  const lines = status.failures.map(
    (f) => `  ${f.rows} row(s), up to ${f.maxAttempts} attempt(s), oldest seq ${f.oldestSeq}: ${truncate(f.lastError, 160)}`,
  );
  return `\n${status.service}: ${status.failing} failing row(s)\n${lines.join('\n')}\n`;
}

/** `warren outbox status`: read-only; exit 1 when a service's database cannot be read. */
export const outboxStatus: Command = {
  name: 'outbox status',
  summary: 'pending, oldest, recently published and failing outbox rows per service',
  usage,
  async run(args: string[], context: RunContext): Promise<number> {
    const values = parseOptions(args, options, usage);
    const services = values.service === undefined ? [...producingServices] : [values.service];
    const statuses: OutboxStatus[] = [];
    const errors: { service: string; error: string }[] = [];
    for (const service of services) {
      try {
        statuses.push(await withServiceDatabase(context, service, (sql) => readOutboxStatus(sql, service)));
      } catch (error) {
        errors.push({ service, error: describeError(error) });
      }
    }
    for (const { error } of errors) context.stderr.write(`warren: ${error}\n`);
    if (values.json) {
      context.stdout.write(`${JSON.stringify([...statuses, ...errors], null, 2)}\n`);
    } else if (statuses.length > 0) {
      const rows = statuses.map((s) => [
        s.service,
        s.pending,
        s.oldestPendingMs === null ? null : duration(s.oldestPendingMs),
        s.publishedLastMinute,
        s.failing,
      ]);
      context.stdout.write(table(['SERVICE', 'PENDING', 'OLDEST PENDING', 'PUBLISHED LAST MIN', 'FAILING'], rows));
      context.stdout.write(statuses.map(failureLines).join(''));
    }
    return errors.length === 0 ? 0 : 1;
  },
};
