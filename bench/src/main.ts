// `npm run bench`: the throughput and latency run (bench.ts); with BENCH_MODE=growth (or
// `npm run bench -w @warren/bench -- growth`), the growth run (growth/run-growth.ts).
const mode = process.env['BENCH_MODE'] || process.argv[2] || 'main';
if (mode === 'growth') await import('./growth/run-growth.ts');
else if (mode === 'main') await import('./bench.ts');
else throw new Error(`BENCH_MODE: unknown mode ${JSON.stringify(mode)}; known: main, growth`);
