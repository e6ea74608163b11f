import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

/** What the writes of one phase came back with. */
export interface WriteTally {
  accepted: number;
  /** Count per HTTP status (other than 201) or client error code. */
  errors: Record<string, number>;
  /** The first answer of each error kind, shortened: what to look at first. */
  errorSamples: Record<string, string>;
}

/** An empty tally. */
export function createTally(): WriteTally {
  return { accepted: 0, errors: {}, errorSamples: {} };
}

/** The total of `tally.errors`. */
export function errorCount(tally: WriteTally): number {
  let total = 0;
  for (const count of Object.values(tally.errors)) total += count;
  return total;
}

function countError(tally: WriteTally, kind: string, detail: string): void {
  tally.errors[kind] = (tally.errors[kind] ?? 0) + 1;
  tally.errorSamples[kind] ??= detail.slice(0, 300);
}

/**
 * A keep-alive pool of up to `connections` sockets to the catalog; requests fail after 30 s
 * without an answer, so a phase always ends.
 */
export function createPool(baseUrl: string, connections: number): Pool {
  return new Pool(baseUrl, { connections, pipelining: 1, headersTimeout: 30_000, bodyTimeout: 30_000 });
}

/** Milliseconds since the epoch with sub-millisecond precision (comparable with PostgreSQL's clock). */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

const path = '/api/v1/items';

/**
 * POSTs the item `<skuPrefix>-<seq>` (its SKU doubles as the Idempotency-Key, so every write is
 * new) and tallies the answer. Resolves true on 201; never rejects.
 */
export async function postItem(pool: Pool, skuPrefix: string, seq: number, tally: WriteTally): Promise<boolean> {
  const sku = `${skuPrefix}-${seq}`;
  try {
    const { statusCode, body } = await pool.request({
      path,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': sku },
      body: `{"name":"bench item ${seq}","sku":"${sku}","priceCents":${seq % 100_000}}`,
    });
    if (statusCode === 201) {
      await body.dump();
      tally.accepted++;
      return true;
    }
    countError(tally, String(statusCode), await body.text());
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    countError(tally, typeof code === 'string' ? code : 'client error', error instanceof Error ? error.message : String(error));
  }
  return false;
}
