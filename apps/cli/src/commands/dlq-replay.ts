import { replayParked } from '@warren/operations';
import type { Command, RunContext } from '../context.ts';
import { outcomeLine } from '../format.ts';
import { deadLetterQueue, parkedMessageHelp, parkedMessageOptions, parkedMessages, parseOptions } from '../options.ts';
import { withBroker } from '../sessions.ts';

const usage = `Usage: warren dlq replay --queue Q [--id ID] [--type T] [--error TEXT] [--limit N] [--rate N] [--dry-run]

Moves matching parked messages back to the queue they failed in (x-warren-queue, else
x-first-death-queue, else Q without .dlq) with the same message id and properties, a fresh retry
budget (x-warren-attempt 1) and x-warren-replay-count + 1. Each copy is confirmed by the broker
before the parked one is acked; a replay is safe to repeat (inboxes drop duplicates).
  --queue Q      the dead-letter queue (<service>.<handler>.dlq)
  --id ID        only this message id
${parkedMessageHelp}`;

const options = {
  ...parkedMessageOptions,
  id: { type: 'string' },
} as const;

/** `warren dlq replay`: exit 0 when every match moved (also when nothing matched), 1 when any could not. */
export const dlqReplay: Command = {
  name: 'dlq replay',
  summary: 'move parked messages back to the queue they failed in',
  usage,
  async run(args: string[], context: RunContext): Promise<number> {
    const values = parseOptions(args, options, usage);
    const queue = deadLetterQueue(values.queue, usage);
    const { filter, ...selection } = parkedMessages(values, usage);
    const out = context.stdout;
    return withBroker(context, async (broker) => {
      const run = await replayParked(broker, queue, {
        ...selection,
        filter: { id: values.id, ...filter },
        onProgress: (outcome) => {
          if (outcome.status === 'done') out.write(`replayed  ${outcomeLine(outcome)}  (replay ${outcome.replayCount})\n`);
        },
      });
      if (run.dryRun) {
        for (const outcome of run.outcomes) out.write(`would replay  ${outcomeLine(outcome)}\n`);
        out.write(`dry run: ${run.matched} message(s) would be replayed from ${queue}; nothing changed\n`);
        return 0;
      }
      const failures = run.outcomes.filter((outcome) => outcome.status === 'failed');
      for (const failure of failures) context.stderr.write(`warren: could not replay ${failure.id ?? '(no id)'} to ${failure.to}: ${failure.error}\n`);
      out.write(`replayed ${run.done} of ${run.matched} matching message(s) from ${queue}\n`);
      return failures.length === 0 ? 0 : 1;
    });
  },
};
