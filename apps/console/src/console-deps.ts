import type { Principal } from '@warren/http';
import type { ServiceDeps } from '@warren/service';
import type { ActivityLog } from './activity.ts';
import type { ArchiveSources } from './archive.ts';
import type { OidcLogin } from './auth/oidc.ts';
import type { SessionStore } from './auth/sessions.ts';
import type { ConsoleConfig } from './config.ts';
import type { Operator } from './operator.ts';
import type { IndexStore } from './parked/index-store.ts';
import type { Indexer } from './parked/indexer.ts';
import type { QueueState } from './queue-state.ts';

/** What the console's routes are built from, on top of every service's dependencies. */
export interface ConsoleDeps extends ServiceDeps {
  version: string;
  config: ConsoleConfig;
  store: IndexStore;
  activity: ActivityLog;
  sessions: SessionStore;
  indexer: Indexer;
  operator: Operator;
  queueState: QueueState;
  archives: ArchiveSources;
  /** Absent when authentication is off. */
  oidc: OidcLogin | undefined;
  verifier: { verify(token: string): Promise<Principal> } | undefined;
}
