import postgres from 'postgres';

/** Runs `work` with a one-connection client on `url` and closes it afterwards. */
export async function withSql<T>(url: string, work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** The values of one text column of a query, sorted (duplicates kept, so a double shows). */
export async function column(url: string, query: (sql: postgres.Sql) => Promise<readonly { value: string }[]>): Promise<string[]> {
  return withSql(url, async (sql) => (await query(sql)).map((row) => row.value).sort());
}

/** An open transaction holding a lock, until `release()`. */
export interface HeldLock {
  release(): Promise<void>;
}

/**
 * Takes an ACCESS EXCLUSIVE lock on `table` in a transaction of its own and holds it until
 * `release()`: every statement that touches the table waits (until its statement timeout).
 */
export async function lockTable(url: string, table: string): Promise<HeldLock> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const taken = new Promise<void>((resolve) => (locked = resolve));
  const transaction = sql.begin(async (tx) => {
    await tx.unsafe(`lock table "${table}" in access exclusive mode`);
    locked();
    await released;
  });
  await Promise.race([taken, transaction]);
  return {
    async release() {
      release();
      await transaction;
      await sql.end({ timeout: 5 });
    },
  };
}
