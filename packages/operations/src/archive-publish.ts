import { eventProperties } from '@warren/messaging';
import type { ArchivedEvent } from '@warren/outbox';
import type { Broker } from './broker.ts';
import { describeError } from './errors.ts';
import { inFlight } from './in-flight.ts';
import type { Pacer } from './pacer.ts';

export interface ArchivePublishRun {
  events: AsyncIterable<ArchivedEvent>;
  total: number;
  queue: string;
  pace: Pacer;
  /** Told at most once a second or every 500 events how far publishing got. */
  onProgress?: (progress: ArchivePublishProgress) => void;
}

export interface ArchivePublishProgress {
  published: number;
  total: number;
  queue: string;
  /** The seq of the last event handed to the broker. */
  seq: number;
}

export interface ArchivePublishOutcome {
  published: number;
  /** Why publishing stopped early; undefined when every event was confirmed. */
  failure?: string;
}

/**
 * Publishes archived events to `queue` (default exchange, confirms, mandatory) in the order
 * given, with the body, message id, properties and headers the relay used, at most 100 confirms
 * outstanding; stops at the first failure. Progress goes to `onProgress` at most once a second or
 * every 500 events. Never throws for a publish failure: it is returned.
 */
export async function publishArchived(broker: Broker, { events, total, queue, pace, onProgress }: ArchivePublishRun): Promise<ArchivePublishOutcome> {
  const window = inFlight(100);
  let published = 0;
  let failure: string | undefined;
  let lastProgress = { at: performance.now(), count: 0 };
  for await (const event of events) {
    if (failure !== undefined) break;
    await pace.wait();
    const { envelope } = event.message;
    await window.add(async () => {
      try {
        await broker.publishToQueue(queue, Buffer.from(JSON.stringify(envelope)), eventProperties(event.message));
        published += 1;
      } catch (error) {
        failure ??= `could not publish seq ${event.seq} (${envelope.id}): ${describeError(error)}`;
      }
    });
    if (published - lastProgress.count >= 500 || performance.now() - lastProgress.at >= 1_000) {
      lastProgress = { at: performance.now(), count: published };
      onProgress?.({ published, total, queue, seq: event.seq });
    }
  }
  await window.drain();
  return failure === undefined ? { published } : { published, failure };
}
