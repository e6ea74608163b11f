import { purgeParked } from '@warren/operations';
import type { Command, RunContext } from '../context.ts';
import { UsageError } from '../errors.ts';
import { deadLetterQueue, parseOptions } from '../options.ts';
import { withBroker } from '../sessions.ts';

const usage = `Usage: warren dlq purge --queue Q [--id ID] [--type T] [--error TEXT] --yes

Deletes matching parked messages for good (every message of Q when no filter is given).
Refuses to run without --yes; see what matches first with warren dlq list --queue Q.
  --queue Q      the dead-letter queue (<service>.<handler>.dlq)
  --id ID        only this message id
  --type T       only this event type (item.created) or routing key (item.created.v1)
  --error TEXT   only messages whose error contains TEXT (case-insensitive)
  --yes          confirm the deletion
`;

const options = {
  queue: { type: 'string' },
  id: { type: 'string' },
  type: { type: 'string' },
  error: { type: 'string' },
  yes: { type: 'boolean', default: false },
} as const;

/** `warren dlq purge`: acks (deletes) only the matching messages; exit 2 without `--yes`. */
export const dlqPurge: Command = {
  name: 'dlq purge',
  summary: 'delete parked messages (requires --yes)',
  usage,
  async run(args: string[], context: RunContext): Promise<number> {
    const values = parseOptions(args, options, usage);
    const queue = deadLetterQueue(values.queue, usage);
    if (!values.yes) {
      throw new UsageError(`refusing to purge ${queue} without --yes: purged messages are gone for good (see them with warren dlq list --queue ${queue})`, usage);
    }
    const filter = { id: values.id, type: values.type, error: values.error };
    return withBroker(context, async (broker) => {
      const run = await purgeParked(broker, queue, { filter });
      for (const outcome of run.outcomes) context.stdout.write(`purged  ${outcome.id ?? '(no id)'}  ${outcome.type ?? '-'}\n`);
      context.stdout.write(`purged ${run.done} message(s) from ${queue}\n`);
      return 0;
    });
  },
};
