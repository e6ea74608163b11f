import { createHash } from 'node:crypto';
import { findEventDefinition, type EventDefinition } from '@warren/contracts';
import type { Broker } from './broker.ts';
import { withParkedMessages } from './dead-letters.ts';
import { OperationsError } from './errors.ts';
import { jsonBody, replayHeader, replayProperties } from './parked-message.ts';

/** Headers an edited replay carries. */
export const editHeader = { edited: 'x-warren-edited', editedFromSha256: 'x-warren-edited-from-sha256' } as const;

/** Where `editAndReplay` finds the schema of an event's `data`; default `@warren/contracts`. */
export interface EventContracts {
  findEventDefinition(type: string, version: number): EventDefinition | undefined;
}

export interface EditOptions {
  contracts?: EventContracts;
  /** The clock of `x-warren-replayed-at`; default `new Date()`. */
  now?: () => Date;
}

/** What an edited replay sent, for the caller to record (both bodies, exactly as published and as parked). */
export interface EditedReplay {
  id: string;
  deadLetterQueue: string;
  /** The queue the edited copy went to: the one the original failed in. */
  queue: string;
  originalBody: string;
  editedBody: string;
  /** SHA-256 (hex) of the original body, also in `x-warren-edited-from-sha256`. */
  originalSha256: string;
  replayCount: number;
}

function envelopeIdentity(body: Record<string, unknown> | undefined): { type: string; version: number } | undefined {
  const type = body?.['type'];
  const version = body?.['version'];
  return typeof type === 'string' && typeof version === 'number' ? { type, version } : undefined;
}

/**
 * Replaces the `data` of parked message `id` in `queue` with `newData` and replays it to the
 * queue it failed in. `newData` is first validated against the event's contract (by the
 * envelope's `type` and `version`, the producer's exact schema); when it does not pass, or the
 * event is not in the contract, it throws `OperationsError` (`invalid_data`, with `issues`) and
 * nothing is sent. The edited envelope keeps every other field — above all the event id, which
 * stays the message id, so an inbox that somehow applied the original drops the edit — and is
 * published like a replay (properties kept, `x-warren-attempt` 1, `x-warren-replay-count` + 1)
 * with `x-warren-edited: true` and `x-warren-edited-from-sha256` of the original body; once the
 * broker confirms it, the parked original is acked. Throws `OperationsError`
 * (`message_not_found`) when no message of that id is parked (with several copies, the first is
 * edited and the others stay), (`queue_not_found`) when a queue is missing.
 */
export async function editAndReplay(broker: Broker, queue: string, id: string, newData: unknown, { contracts = { findEventDefinition }, now = () => new Date() }: EditOptions = {}): Promise<EditedReplay> {
  return withParkedMessages(broker, queue, { ids: [id], limit: 1 }, async ([parked], browser) => {
    if (!parked) throw new OperationsError('message_not_found', `no message with id ${id} in ${queue}`);
    const { message, summary } = parked;
    const envelope = jsonBody(message);
    const identity = envelopeIdentity(envelope);
    if (!envelope || !identity) throw new OperationsError('invalid_data', `message ${id} in ${queue} is not an event envelope (no type and version): it cannot be edited`);
    const definition = contracts.findEventDefinition(identity.type, identity.version);
    if (!definition) throw new OperationsError('invalid_data', `${identity.type} v${identity.version} is not part of the event contract: its data cannot be validated`);
    const checked = definition.data.safeParse(newData);
    if (!checked.success) {
      const issues = checked.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(data)'}: ${issue.message}`);
      throw new OperationsError('invalid_data', `the edited data breaks ${definition.routingKey}: ${issues.join('; ')}`, { issues });
    }
    await broker.checkQueue(summary.queue);
    const originalBody = message.content.toString('utf8');
    const editedBody = JSON.stringify({ ...envelope, data: newData });
    const originalSha256 = createHash('sha256').update(message.content).digest('hex');
    const replayed = replayProperties(message.properties, now());
    const headers = { ...replayed.headers, [editHeader.edited]: true, [editHeader.editedFromSha256]: originalSha256 };
    await broker.publishToQueue(summary.queue, Buffer.from(editedBody), { ...replayed, headers });
    browser.remove(message);
    return { id, deadLetterQueue: queue, queue: summary.queue, originalBody, editedBody, originalSha256, replayCount: Number(replayed.headers[replayHeader.count]) };
  });
}
