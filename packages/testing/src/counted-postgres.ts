import { once } from 'node:events';
import { connect } from 'node:net';
import postgres from 'postgres';

/** A postgres.js client on one connection, and every write its socket was given, in order. */
export interface CountedPostgres {
  sql: postgres.Sql;
  writes: Buffer[];
}

/**
 * A postgres.js client of one connection whose socket writes are recorded, for tests that count
 * the round trips a piece of code costs (on a machine where each write is a dear system call).
 * postgres.js takes a `socket` factory, which its types do not declare, so the options are built
 * as a variable.
 */
export function countedPostgres(url: string): CountedPostgres {
  const writes: Buffer[] = [];
  const { hostname, port } = new URL(url);
  const options = {
    max: 1,
    onnotice: () => {},
    socket: async () => {
      const socket = connect(Number(port || 5432), hostname);
      await once(socket, 'connect');
      const write = socket.write.bind(socket) as (chunk: Buffer, callback?: () => void) => boolean;
      socket.write = ((chunk: Buffer, callback?: () => void) => {
        writes.push(Buffer.from(chunk));
        return write(chunk, callback);
      }) as typeof socket.write;
      return socket;
    },
  };
  return { sql: postgres(url, options), writes };
}
