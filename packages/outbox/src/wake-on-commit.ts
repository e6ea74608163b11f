import type { Database } from './database.ts';
import type { Outbox } from './outbox.ts';

/**
 * A view of `db` whose transactions call `committed` once a transaction that added events to
 * `outbox` has committed: how a service wakes its own relay without NOTIFY. A notifying commit
 * takes a lock that PostgreSQL holds cluster-wide through the commit, so notifying on every write
 * would make all writers commit one at a time. The relay's poll still finds what other writers
 * commit. Everything else on the view is `db` itself.
 */
export function wakeOnCommit(db: Database, outbox: Outbox, committed: () => void): Database {
  const view = Object.create(db) as Database;
  view.transaction = async (work, config) => {
    let added = false;
    const result = await db.transaction(async (tx) => {
      const value = await work(tx);
      added = outbox.addedIn(tx);
      return value;
    }, config);
    if (added) committed();
    return result;
  };
  return view;
}
