import type { TestProject } from 'vitest/node';
import { ensurePrometheusTools, type PrometheusTools } from './prometheus-tools.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    prometheusTools: PrometheusTools;
  }
}

/**
 * Vitest global setup for the suites that run a real Prometheus or promtool: finds both (or
 * installs Debian's package, see `ensurePrometheusTools`) before any test file starts, so a
 * machine without them fails at once with one line saying what to install.
 */
export default function setup(project: TestProject): void {
  project.provide('prometheusTools', ensurePrometheusTools());
}
