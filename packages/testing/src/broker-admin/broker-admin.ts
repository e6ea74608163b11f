import { managementAdmin } from './management-admin.ts';
import { rabbitmqctlAdmin } from './rabbitmqctl-admin.ts';

/**
 * How the run administers its broker, as plain data (it travels from the vitest global setup to
 * every test file): the management HTTP API at `url` (with credentials), or the local
 * `rabbitmqctl` at `command`.
 */
export type BrokerAdminSpec = { kind: 'management'; url: string } | { kind: 'rabbitmqctl'; command: string };

/** The few broker operations the tests need that AMQP cannot do. */
export interface BrokerAdmin {
  readonly spec: BrokerAdminSpec;
  /** Creates `vhost` (no error when it exists) and grants `user` configure, write and read on everything in it. */
  createVhost(vhost: string, user: string): Promise<void>;
  /** Deletes `vhost` with everything in it; a missing vhost is not an error. */
  deleteVhost(vhost: string): Promise<void>;
  /** Names of the client connections open on `vhost`. */
  listConnections(vhost: string): Promise<string[]>;
  /** Force-closes every client connection of `vhost`, as an operator would; resolves with how many there were. */
  closeConnections(vhost: string): Promise<number>;
}

/** The admin a spec describes (no I/O until an operation is called). */
export function brokerAdminFrom(spec: BrokerAdminSpec): BrokerAdmin {
  return spec.kind === 'management' ? managementAdmin(spec.url) : rabbitmqctlAdmin(spec.command);
}
