/**
 * postgres.js 3.4.9 mishandles a connection that drops with a write pending (a database restart,
 * `pg_terminate_backend`, a network cut under load), in two ways (porsager/postgres#1154, #1208,
 * fix proposed in #1209):
 * - teardown cancels the pending write's timer without clearing it, so that pooled connection
 *   never flushes a small write again: its next queries hang forever (a consumer stays paused,
 *   a request never answers);
 * - a write issued after the close (the ROLLBACK of the transaction that just failed) runs on a
 *   null socket from a timer and throws a TypeError nothing can catch: the process dies.
 * `patchPostgresConnection` rewrites the driver's `connection.js` so that teardown resets the
 * write buffer and a write without a socket rejects its query with CONNECTION_CLOSED instead.
 */
const fixes: readonly { find: string; replace: string }[] = [
  {
    find: '  function nextWrite(fn) {\n',
    replace: "  function nextWrite(fn) {\n    if (!socket) return (chunk = nextWriteTimer = null, error(Errors.connection('CONNECTION_CLOSED', options)), false)\n",
  },
  {
    find: '\n    clearImmediate(nextWriteTimer)\n',
    replace: '\n    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n',
  },
];

/** The driver's connection module, ESM or CommonJS build. */
export const postgresConnectionModule = /[\\/]node_modules[\\/]postgres[\\/](?:cjs[\\/])?src[\\/]connection\.js$/;

/**
 * Applies the fix to the source of postgres.js's `connection.js`. Returns undefined when the
 * source does not have the expected shape (another version: check whether it still needs this).
 */
export function patchPostgresConnection(source: string): string | undefined {
  let patched = source;
  for (const { find, replace } of fixes) {
    if (!patched.includes(find)) return undefined;
    patched = patched.replaceAll(find, replace);
  }
  return patched;
}
