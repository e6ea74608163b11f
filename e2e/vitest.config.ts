import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.ts';

// The chaos suite stops and restarts the machine's broker and database: only `npm run test:chaos` runs it.
// prometheus.e2e.test.ts runs a real Prometheus: found (or installed) before anything starts.
export default mergeConfig(
  mergeConfig(defineConfig({ test: { globalSetup: [fileURLToPath(new URL('../packages/testing/src/prometheus-setup.ts', import.meta.url))] } }), shared),
  defineConfig({ test: { exclude: [...configDefaults.exclude, 'src/chaos/**'] } }),
);
