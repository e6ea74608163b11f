import { inject } from 'vitest';
import type { PrometheusTools } from './prometheus-tools.ts';
import './prometheus-setup.ts';

/** The `prometheus` and `promtool` binaries found by the `@warren/testing/prometheus-setup` global setup. */
export function prometheusTools(): PrometheusTools {
  const provided = inject('prometheusTools');
  if (!provided) throw new Error('no Prometheus tools: add @warren/testing/prometheus-setup to the vitest globalSetup');
  return provided;
}
