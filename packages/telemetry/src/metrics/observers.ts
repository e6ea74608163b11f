import type { MetricsRegistry } from './registry.ts';

const states = ['connecting', 'connected', 'blocked', 'disconnected', 'closed'] as const;

function exemplar(traceId: string | undefined): Record<string, string> | undefined {
  return traceId ? { trace_id: traceId } : undefined;
}

/**
 * Adapters from the observer ports of @warren/http, @warren/messaging and @warren/outbox to
 * the registry's series (structurally typed: telemetry does not depend on those packages).
 */
export function metricObservers(metrics: MetricsRegistry) {
  return {
    http: {
      request(observation: { method: string; route: string; status: number; seconds: number; traceId?: string }): void {
        const labels = { method: observation.method, route: observation.route, status: String(observation.status) };
        metrics.httpRequests.inc(labels);
        metrics.httpDuration.observe({ labels, value: observation.seconds, exemplarLabels: exemplar(observation.traceId) });
      },
    },
    consumer: {
      consumed(observation: { handler: string; result: string; seconds: number; endToEndSeconds?: number; traceId?: string }): void {
        const labels = { handler: observation.handler, result: observation.result };
        metrics.consumed.inc(labels);
        metrics.processing.observe({ labels, value: observation.seconds, exemplarLabels: exemplar(observation.traceId) });
        if (observation.endToEndSeconds !== undefined) {
          metrics.endToEnd.observe({ labels: { handler: observation.handler }, value: Math.max(0, observation.endToEndSeconds), exemplarLabels: exemplar(observation.traceId) });
        }
      },
    },
    relay: {
      batch(observation: { size: number; published: number; publishSeconds: number }): void {
        metrics.batchSize.observe(observation.size);
        metrics.relayPublish.observe(observation.publishSeconds);
        metrics.published.inc(observation.published);
      },
    },
    brokerState(state: string): void {
      for (const candidate of states) metrics.brokerState.set({ state: candidate }, candidate === state ? 1 : 0);
    },
  };
}
