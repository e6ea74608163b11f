import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { patchPostgresConnection, postgresConnectionModule } from './postgres-fix.ts';

const require = createRequire(import.meta.url);
const installed = require.resolve('postgres').replace(/cjs[\\/]src[\\/]index\.js$|src[\\/]index\.js$/, 'src/connection.js');

describe('the postgres.js connection fix', () => {
  it('applies to the installed postgres.js: teardown resets the write buffer, a write without a socket rejects', async () => {
    const source = await readFile(installed, 'utf8');
    const patched = patchPostgresConnection(source);
    const resets = (text = '') => text.match(/\n {4}clearImmediate\(nextWriteTimer\)\n {4}chunk = nextWriteTimer = null\n/g)?.length ?? 0;
    expect(patched).toContain("if (!socket) return (chunk = nextWriteTimer = null, error(Errors.connection('CONNECTION_CLOSED', options)), false)");
    // closed() and terminate() now forget the pending write they cancel.
    expect(resets(patched) - resets(source)).toBe(2);
  });

  it('leaves a source of another shape alone', () => {
    expect(patchPostgresConnection('export default function Connection() {}')).toBeUndefined();
  });

  it('targets only the driver connection module', () => {
    expect(postgresConnectionModule.test('file:///app/node_modules/postgres/src/connection.js')).toBe(true);
    expect(postgresConnectionModule.test('file:///app/node_modules/postgres/cjs/src/connection.js')).toBe(true);
    expect(postgresConnectionModule.test('file:///app/src/connection.js')).toBe(false);
  });
});
