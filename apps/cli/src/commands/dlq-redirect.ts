import { redirectParked } from '@warren/operations';
import type { Command, RunContext } from '../context.ts';
import { outcomeLine } from '../format.ts';
import { deadLetterQueue, parkedMessageHelp, parkedMessageOptions, parkedMessages, parseOptions, required } from '../options.ts';
import { withBroker } from '../sessions.ts';

const usage = `Usage: warren dlq redirect --queue Q --to T [--id ID]... [--type T] [--error TEXT] [--limit N] [--rate N] [--dry-run]

Moves matching parked messages of Q to another queue T (another consumer's queue, or a holding
queue) instead of the queue they failed in: same message id and properties, a fresh retry budget
(x-warren-attempt 1), x-warren-replay-count + 1 and x-warren-redirected-from Q. T must exist.
Each copy is confirmed by the broker before the parked one is acked. With no --id, --type or
--error, every message of Q is redirected.
  --queue Q      the dead-letter queue (<service>.<handler>.dlq)
  --to T         the queue to send them to
  --id ID        only this message id (repeat for several)
${parkedMessageHelp}`;

const options = {
  ...parkedMessageOptions,
  to: { type: 'string' },
  id: { type: 'string', multiple: true },
} as const;

/** `warren dlq redirect`: exit 0 when every match moved (also when nothing matched), 1 when any could not or T is missing. */
export const dlqRedirect: Command = {
  name: 'dlq redirect',
  summary: 'move parked messages to another queue',
  usage,
  async run(args: string[], context: RunContext): Promise<number> {
    const values = parseOptions(args, options, usage);
    const queue = deadLetterQueue(values.queue, usage);
    const toQueue = required(values.to, 'to', usage);
    const selection = parkedMessages(values, usage);
    const out = context.stdout;
    return withBroker(context, async (broker) => {
      const run = await redirectParked(broker, queue, {
        ...selection,
        toQueue,
        ids: values.id,
        onProgress: (outcome) => {
          if (outcome.status === 'done') out.write(`redirected  ${outcomeLine(outcome)}\n`);
        },
      });
      if (run.dryRun) {
        for (const outcome of run.outcomes) out.write(`would redirect  ${outcomeLine(outcome)}\n`);
        out.write(`dry run: ${run.matched} message(s) would be redirected from ${queue} to ${toQueue}; nothing changed\n`);
        return 0;
      }
      const failures = run.outcomes.filter((outcome) => outcome.status === 'failed');
      for (const failure of failures) context.stderr.write(`warren: could not redirect ${failure.id ?? '(no id)'} to ${toQueue}: ${failure.error}\n`);
      out.write(`redirected ${run.done} of ${run.matched} matching message(s) from ${queue} to ${toQueue}\n`);
      return failures.length === 0 ? 0 : 1;
    });
  },
};
