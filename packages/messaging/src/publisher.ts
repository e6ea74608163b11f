import type { OutgoingMessage } from './message.ts';

/** The outcome of one message of a `publish` call, in the order the messages were given. */
export type PublishOutcome = { ok: true } | { ok: false; error: Error };

/**
 * The publishing port. `publish` resolves once the broker has settled every message:
 * `ok` only for a message the broker confirmed and did not return. It never resolves `ok`
 * for a message that was returned as unroutable, nacked, or lost with its channel.
 */
export interface Publisher {
  publish(messages: readonly OutgoingMessage[]): Promise<PublishOutcome[]>;
  close(): Promise<void>;
}
