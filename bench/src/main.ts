// `npm run bench`: the throughput and latency run (bench.ts). BENCH_MODE (or the first argument,
// `npm run bench -w @warren/bench -- growth`) picks another: `growth` (growth/run-growth.ts) or
// `drivers` (drivers/compare-drivers.ts).
const modes: Record<string, () => Promise<unknown>> = {
  main: () => import('./bench.ts'),
  growth: () => import('./growth/run-growth.ts'),
  drivers: () => import('./drivers/compare-drivers.ts'),
};
const mode = process.env['BENCH_MODE'] || process.argv[2] || 'main';
const load = modes[mode];
if (!load) throw new Error(`BENCH_MODE: unknown mode ${JSON.stringify(mode)}; known: ${Object.keys(modes).join(', ')}`);
await load();
