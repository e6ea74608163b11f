import amqp from 'amqplib';
import type { ChannelModel, RecoveringChannelModel } from 'amqplib';
import type { Logger } from '@warren/telemetry';
import { backoffs } from '../backoff.ts';
import { declareTopology, type TopologySpec } from './topology.ts';

export type BrokerState = 'connecting' | 'connected' | 'blocked' | 'disconnected' | 'closed';

export interface BrokerConnectionOptions {
  url: string;
  /** Shown in the broker's connection list. */
  name: string;
  logger: Logger;
  /**
   * Declared after every (re)connect, before any channel is handed out. Omitted by a tool that
   * only uses what the services declared (the operator CLI): then nothing is declared.
   */
  topology?: TopologySpec;
  /** Attempts before the first connection counts as failed (start-up fails fast). */
  initialRetries?: number;
  /**
   * Reconnect attempts after a loss before the connection gives up and every pending channel
   * request rejects; unlimited by default (a service waits out a broker restart).
   */
  reconnectRetries?: number;
}

/** One recovering AMQP connection per process. amqplib stays inside this folder. */
export interface BrokerConnection {
  readonly state: BrokerState;
  readonly serverVersion: string | undefined;
  /** The live amqplib connection; waits for a (re)connect when down. */
  readonly model: RecoveringChannelModel;
  /** Calls `listener` after every reconnect (not the first connect). Returns an unsubscribe. */
  onReconnect(listener: () => void): () => void;
  /** Calls `listener` on every change of `state`. Returns an unsubscribe. */
  onStateChange(listener: (state: BrokerState) => void): () => void;
  close(): Promise<void>;
}

const minimumVersion = [3, 10] as const;

/** Throws when the broker predates quorum queue delivery limits and at-least-once dead-lettering. */
export function assertSupportedVersion(version: string): void {
  const [major = 0, minor = 0] = version.split('.').map((part) => Number.parseInt(part, 10));
  if (major < minimumVersion[0] || (major === minimumVersion[0] && minor < minimumVersion[1])) {
    throw new Error(
      `RabbitMQ ${version} is too old: Warren needs ${minimumVersion.join('.')} or newer (quorum queues with x-delivery-limit and at-least-once dead-lettering)`,
    );
  }
}

/**
 * Connects with amqplib's recovery: on loss it reconnects with exponential backoff and jitter,
 * re-declares the topology (logging what `declareTopology` notices about queues kept from other
 * settings), then tells listeners so they reopen their channels.
 * Rejects when the broker cannot be reached within `initialRetries` attempts or is too old.
 */
export async function connectBroker(options: BrokerConnectionOptions): Promise<BrokerConnection> {
  const { url, name, logger, topology, initialRetries = 5, reconnectRetries = Number.POSITIVE_INFINITY } = options;
  let state: BrokerState = 'connecting';
  let serverVersion: string | undefined;
  let connects = 0;
  const reconnectListeners = new Set<() => void>();
  const stateListeners = new Set<(state: BrokerState) => void>();
  const setState = (next: BrokerState) => {
    if (state === next) return;
    state = next;
    for (const listener of stateListeners) listener(next);
  };

  const model = await amqp.connect(url, {
    clientProperties: { connection_name: name },
    recovery: {
      initialDelay: backoffs.brokerReconnect.minMs,
      maxDelay: backoffs.brokerReconnect.maxMs,
      factor: backoffs.brokerReconnect.factor,
      initialMaxRetries: initialRetries,
      maxRetries: reconnectRetries,
      waitForConnect: false,
      async setup(channelModel: ChannelModel) {
        const version = String(channelModel.connection.serverProperties.version ?? '0.0.0');
        assertSupportedVersion(version);
        serverVersion = version;
        if (!topology) return;
        const notices = await declareTopology(channelModel, topology);
        for (const { level, message, ...fields } of notices) logger[level](fields, message);
      },
    },
  });

  model.on('connect', () => {
    setState('connected');
    connects += 1;
    logger.info({ broker_version: serverVersion, reconnect: connects > 1 }, 'broker connected');
    if (connects > 1) for (const listener of reconnectListeners) listener();
  });
  model.on('disconnect', (error: Error) => {
    setState('disconnected');
    logger.warn({ err: error }, 'broker connection lost; reconnecting');
  });
  model.on('connect-failed', (error: Error) => {
    logger.warn({ err: error }, 'broker connection attempt failed');
  });
  model.on('blocked', (reason: string) => {
    setState('blocked');
    logger.warn({ reason }, 'broker blocked the connection (resource alarm)');
  });
  model.on('unblocked', () => {
    setState('connected');
    logger.info('broker unblocked the connection');
  });
  model.on('error', (error: Error) => {
    logger.warn({ err: error }, 'broker connection error');
  });

  await model.waitForConnect();

  return {
    get state() {
      return state;
    },
    get serverVersion() {
      return serverVersion;
    },
    model,
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
    onStateChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    async close() {
      setState('closed');
      await model.close();
    },
  };
}
