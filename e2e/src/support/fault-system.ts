import { randomBytes } from 'node:crypto';
import { createTestVhost, infrastructure, startSystem, type RunningSystem, type ServiceName, type TestVhost } from '@warren/testing';

/** The three services on a vhost and databases of their own, for one file of fault scenarios. */
export interface FaultSystem {
  vhost: TestVhost;
  system: RunningSystem;
  /** Database prefix: `<prefix>_catalog`, `<prefix>_inventory`, `<prefix>_audit`. */
  prefix: string;
  close(): Promise<void>;
}

export interface FaultSystemOptions {
  env?: Record<string, string>;
  /** Per service, on top of `env`; a function gets the database prefix (to build URLs). */
  serviceEnv?: (prefix: string) => Partial<Record<ServiceName, Record<string, string>>>;
}

/**
 * Starts the system for fault tests: no rate limit (the writers are the only callers), short
 * shutdowns, a short idempotency lease (a write whose request died with its process or database
 * connection is taken over in 1.5 s, not 30) and the retry delays of `startSystem` unless overridden.
 */
export async function startFaultSystem(name: string, { env = {}, serviceEnv }: FaultSystemOptions = {}): Promise<FaultSystem> {
  const prefix = `${name.replaceAll('-', '_')}_${randomBytes(3).toString('hex')}`;
  const vhost = await createTestVhost(name);
  try {
    const system = await startSystem({
      adminUrl: infrastructure().databaseUrl,
      amqpUrl: vhost.url,
      prefix,
      env: { RATE_LIMIT_PER_MINUTE: '0', SHUTDOWN_TIMEOUT_MS: '5000', IDEMPOTENCY_LEASE_MS: '1500', ...env },
      serviceEnv: serviceEnv?.(prefix) ?? {},
    });
    return {
      vhost,
      system,
      prefix,
      async close() {
        try {
          await system.close();
        } finally {
          await vhost.delete();
        }
      },
    };
  } catch (error) {
    await vhost.delete();
    throw error;
  }
}
