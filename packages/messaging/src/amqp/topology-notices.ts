import type { ArgumentMismatch } from './declare-queue.ts';
import type { QueueSpec } from './topology.ts';

/** Something about the declared topology an operator should know; the caller logs it. */
export interface TopologyNotice {
  level: 'info' | 'warn';
  queue: string;
  /** The setting the queue's state concerns, when one does. */
  setting?: 'RETRY_DELAYS_MS' | 'DELIVERY_LIMIT';
  /** The queue argument the queue keeps (`x-message-ttl`, …), when a mismatch was accepted. */
  argument?: string;
  current?: string;
  message: string;
}

/** The rabbitmqctl policy that lowers one queue's delivery limit (3.10 and 4.x alike). */
function policyCommand(queue: string, limit: string): string {
  const pattern = `^${queue.replaceAll('.', '\\.')}$`;
  return `rabbitmqctl set_policy --apply-to queues ${queue}-delivery-limit '${pattern}' '{"delivery-limit": ${limit}}'`;
}

/**
 * What a queue kept with another argument means for the running service, and how to apply the
 * setting to it. Pure: `declareTopology` builds these, the connection logs them.
 */
export function adviceFor(mismatch: ArgumentMismatch, spec: QueueSpec): TopologyNotice {
  const { queue, argument, current } = mismatch;
  const kept = { queue, argument, current };
  if (argument === 'x-message-ttl') {
    return {
      level: 'warn',
      ...kept,
      setting: 'RETRY_DELAYS_MS',
      message:
        `delay queue ${queue} keeps the fixed x-message-ttl ${current} ms an earlier version gave it, so a retry through it ` +
        `waits at most ${current} ms whatever RETRY_DELAYS_MS says; its messages still return to ${spec.queue}. ` +
        `To apply RETRY_DELAYS_MS to it, delete it once it is empty (rabbitmqctl list_queues name messages; ` +
        `rabbitmqctl delete_queue ${queue}) and restart: it is re-created without a TTL of its own`,
    };
  }
  if (argument === 'x-delivery-limit' && queue === spec.queue) {
    const limit = Number(current);
    const below = current === 'none' || (Number.isFinite(limit) && limit < spec.deliveryLimit);
    return {
      level: below ? 'warn' : 'info',
      ...kept,
      setting: 'DELIVERY_LIMIT',
      message: below
        ? `work queue ${queue} keeps the broker delivery limit ${current} from its first declaration, below DELIVERY_LIMIT ` +
          `${spec.deliveryLimit}: the broker dead-letters a message returned more than ${current} times before the consumer parks it. ` +
          `A policy can only lower a queue's limit (${policyCommand(queue, String(spec.deliveryLimit))} takes the smaller ` +
          `of the two); to raise it, re-create the queue once it is drained`
        : `work queue ${queue} keeps the broker delivery limit ${current} from its first declaration as a backstop; ` +
          `the consumer parks a message after DELIVERY_LIMIT ${spec.deliveryLimit} deliveries itself`,
    };
  }
  return {
    level: 'warn',
    ...kept,
    message:
      `queue ${queue} exists with ${argument} ${current} where this version declares ${mismatch.declared}; it is used as it is. ` +
      `To re-create it with this version's arguments, delete it once it is empty and restart`,
  };
}

/** A delay queue past the end of `RETRY_DELAYS_MS`: unused from now on, harmless, left in place. */
export function staleDelayQueueNotice(spec: QueueSpec, queue: string): TopologyNotice {
  return {
    level: 'info',
    queue,
    setting: 'RETRY_DELAYS_MS',
    message:
      `delay queue ${queue} is past the ${spec.retryDelaysMs.length} entries of RETRY_DELAYS_MS and takes no new retries; ` +
      `messages still in it return to ${spec.queue} when their delay ends. Delete it once it is empty if the list stays ` +
      `short (rabbitmqctl delete_queue ${queue})`,
  };
}
