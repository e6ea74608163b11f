import { execFile } from 'node:child_process';
import type { BrokerAdmin } from './broker-admin.ts';

/**
 * Runs `command args…` (no shell) and resolves with its stdout; rejects with the command line and
 * its stderr when it fails or outlives `timeoutMs`.
 */
export function runRabbitmqctl(command: string, args: readonly string[], timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) {
        resolve(stdout);
        return;
      }
      const detail = (stderr.trim() || error.message).split('\n').find((line) => line.trim() !== '') ?? error.message;
      reject(new Error(`${command} ${args.join(' ')} failed: ${detail.trim()}`, { cause: error }));
    });
  });
}

const lines = (output: string): string[] => output.split('\n').filter((line) => line.trim() !== '');

/**
 * A broker admin through the local `rabbitmqctl` (the broker's own CLI: it needs the node's Erlang
 * cookie, so root or the rabbitmq user). Each call starts a short-lived Erlang VM, about a second.
 */
export function rabbitmqctlAdmin(command = 'rabbitmqctl'): BrokerAdmin {
  const run = (args: readonly string[]) => runRabbitmqctl(command, ['-q', ...args]);

  async function listConnections(vhost: string): Promise<string[]> {
    // list_connections has no vhost filter (`-p` is accepted and ignored): filter its vhost column.
    const rows = lines(await run(['list_connections', '--no-table-headers', 'name', 'vhost'])).map((line) => line.split('\t'));
    return rows.filter(([, of]) => of === vhost).map(([name]) => name ?? '');
  }

  return {
    spec: { kind: 'rabbitmqctl', command },
    async createVhost(vhost, user) {
      await run(['add_vhost', vhost]);
      await run(['set_permissions', '-p', vhost, user, '.*', '.*', '.*']);
    },
    async deleteVhost(vhost) {
      try {
        await run(['delete_vhost', vhost]);
      } catch (error) {
        if (!/does not exist|no_such_vhost/i.test(String(error))) throw error;
      }
    },
    listConnections,
    async closeConnections(vhost) {
      const names = await listConnections(vhost);
      if (names.length > 0) await run(['close_all_connections', '-p', vhost, 'closed by a Warren test']);
      return names.length;
    },
  };
}
