/** The parts a growth run can measure, in run order. */
export const growthParts = ['archive', 'payload', 'instances', 'prefetch'] as const;
export type GrowthPart = (typeof growthParts)[number];

export interface GrowthSettings {
  /** `BENCH_GROWTH_PARTS` (comma-separated; all by default). */
  parts: GrowthPart[];
  /** Published rows kept in the outbox for the second archive measurement (`BENCH_GROWTH_ARCHIVE_ROWS`, 10,000,000). */
  archivedRows: number;
  /** Rows due when the retention run is timed (`BENCH_GROWTH_DUE_ROWS`, 200,000: 100 s at 2,000 events/s). */
  dueRows: number;
  /** Events/s written in each payload phase (`BENCH_GROWTH_PAYLOAD_RATE`, 100). */
  payloadRate: number;
  payloadKilobytes: number[];
  prefetches: number[];
  resultsFile: string;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return value;
}

/** Reads the growth mode's `BENCH_GROWTH_*` settings; throws naming a bad value. */
export function growthSettings(env: NodeJS.ProcessEnv = process.env): GrowthSettings {
  const wanted = (env['BENCH_GROWTH_PARTS'] ?? '').split(',').map((part) => part.trim()).filter(Boolean);
  for (const part of wanted) {
    if (!(growthParts as readonly string[]).includes(part)) throw new Error(`BENCH_GROWTH_PARTS: unknown part ${JSON.stringify(part)}; known: ${growthParts.join(', ')}`);
  }
  return {
    parts: wanted.length === 0 ? [...growthParts] : growthParts.filter((part) => wanted.includes(part)),
    archivedRows: positiveInteger(env, 'BENCH_GROWTH_ARCHIVE_ROWS', 10_000_000),
    dueRows: positiveInteger(env, 'BENCH_GROWTH_DUE_ROWS', 200_000),
    payloadRate: positiveInteger(env, 'BENCH_GROWTH_PAYLOAD_RATE', 100),
    payloadKilobytes: [1, 10, 100],
    prefetches: [1, 10, 50],
    resultsFile: new URL('../../results/growth.json', import.meta.url).pathname,
  };
}
