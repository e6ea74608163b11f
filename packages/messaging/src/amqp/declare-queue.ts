import type { Channel, Options } from 'amqplib';

/** Something channels can be opened on: amqplib's connection or channel model. */
export interface ChannelSource {
  createChannel(): Promise<Channel>;
}

/** A queue that already exists with an argument other than the one Warren declared for it. */
export interface ArgumentMismatch {
  queue: string;
  /** The queue argument the broker names, e.g. `x-message-ttl`. */
  argument: string;
  /** The value Warren declared, as the broker spelled it (`none` when Warren declares none). */
  declared: string;
  /** The value the queue keeps, as the broker spelled it (`none` when it has none). */
  current: string;
}

const inequivalent = /inequivalent arg '([^']+)' for queue '(?:[^']*)'[^:]*: received (.+) but current is (.+?)"?$/;

function valueOf(phrase: string): string {
  return /^(?:the value )?'([^']*)'/.exec(phrase)?.[1] ?? phrase.trim();
}

/**
 * Reads the broker's PRECONDITION_FAILED text for a queue declared with other arguments
 * ("inequivalent arg 'x-message-ttl' for queue 'q' in vhost '/': received none but current is the
 * value '1000' of type 'long'"; for `x-delivery-limit` "received '1000' but current is '3'").
 * Undefined for any other text.
 */
export function parseArgumentMismatch(queue: string, message: string): ArgumentMismatch | undefined {
  const match = inequivalent.exec(message);
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  return { queue, argument: match[1], declared: valueOf(match[2]), current: valueOf(match[3]) };
}

function isPreconditionFailed(error: unknown): error is Error {
  return error instanceof Error && (error as { code?: unknown }).code === 406;
}

/**
 * Declares `queue` with `options` on `channel`. When the queue exists with other arguments, the
 * broker answers PRECONDITION_FAILED and closes the channel: then the queue is checked passively on
 * a fresh channel and kept as it is, and the mismatch is returned instead of thrown. A different
 * `x-queue-type` is never accepted (the queue's delivery guarantees would not be Warren's).
 * Returns the channel to carry on with (a new one after a mismatch) and the mismatch, if any.
 */
export async function declareQueue(
  source: ChannelSource,
  channel: Channel,
  queue: string,
  options: Options.AssertQueue,
): Promise<{ channel: Channel; mismatch?: ArgumentMismatch }> {
  try {
    await channel.assertQueue(queue, options);
    return { channel };
  } catch (error) {
    if (!isPreconditionFailed(error)) throw error;
    const mismatch = parseArgumentMismatch(queue, error.message);
    if (!mismatch || mismatch.argument === 'x-queue-type') throw new Error(`cannot declare queue ${queue}`, { cause: error });
    const fresh = await openChannel(source);
    await fresh.checkQueue(queue);
    return { channel: fresh, mismatch };
  }
}

/** True when `queue` exists; probes passively on a throwaway channel (a miss closes it). */
export async function queueExists(source: ChannelSource, queue: string): Promise<boolean> {
  const channel = await openChannel(source);
  try {
    await channel.checkQueue(queue);
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === 404) return false;
    throw error;
  } finally {
    await channel.close().catch(() => undefined);
  }
}

/** A channel whose broker-side close (an expected PRECONDITION_FAILED or NOT_FOUND) is not an unhandled error. */
export async function openChannel(source: ChannelSource): Promise<Channel> {
  const channel = await source.createChannel();
  channel.on('error', () => undefined);
  return channel;
}
