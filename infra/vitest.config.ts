import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.ts';

// promtool is found (or installed) first, so a machine without it fails at once with one line.
export default mergeConfig(defineConfig({ test: { globalSetup: [fileURLToPath(new URL('../packages/testing/src/prometheus-setup.ts', import.meta.url))] } }), shared);
