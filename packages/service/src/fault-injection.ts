import type { ConsumerFaults } from '@warren/messaging';
import { armedFailpoint, type Failpoint } from '@warren/telemetry/failpoint';

/** Test-only hooks a service hands to its relay, inbox, consumers and idempotent routes. */
export interface FaultInjection {
  failpoint?: Failpoint;
  consumer?: ConsumerFaults;
}

/**
 * Reads the crash and fault tests' settings once, when a service starts, so no production path
 * looks at the environment per message. Nothing is armed unless one is set:
 * - `WARREN_FAILPOINT=<point>` or `<point>:<key>` (with `WARREN_FAILPOINT_AFTER=<n>`, the nth hit)
 *   kills the process at that point: `relay.after-claim`, `relay.after-confirm`,
 *   `inbox.mid-transaction`, `http.before-commit`, `consumer.before-handle:<message id>`,
 *   `consumer.after-commit`.
 * - `WARREN_FAULT=transient:<queue>` fails every first attempt on that queue with a transient
 *   error before its handler runs, so the retry path can be watched end to end;
 *   `transient:<queue>:<n>` fails the first n attempts.
 */
export function faultInjectionFrom(env: Readonly<Record<string, string | undefined>>): FaultInjection {
  const armed = env['WARREN_FAILPOINT'];
  const failpoint = armed ? armedFailpoint(armed, Number(env['WARREN_FAILPOINT_AFTER'] ?? 1)) : undefined;
  const transient = transientFault(env['WARREN_FAULT']);
  if (!failpoint && !transient) return {};
  return {
    ...(failpoint ? { failpoint } : {}),
    consumer: {
      beforeHandle(delivery) {
        failpoint?.('consumer.before-handle', String(delivery.message.properties.messageId));
        if (transient && delivery.queue === transient.queue && delivery.raw.attempt <= transient.attempts) {
          throw new Error(`injected transient fault on ${delivery.queue} (attempt ${delivery.raw.attempt})`);
        }
      },
      afterCommit() {
        failpoint?.('consumer.after-commit');
      },
    },
  };
}

/** `transient:<queue>[:<n>]`, else undefined. */
export function transientFault(setting: string | undefined): { queue: string; attempts: number } | undefined {
  const match = /^transient:([^:]+)(?::(\d+))?$/.exec(setting ?? '');
  if (!match?.[1]) return undefined;
  return { queue: match[1], attempts: match[2] === undefined ? 1 : Number(match[2]) };
}
