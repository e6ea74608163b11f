import type { MetricsRegistry } from './registry.ts';

const states = ['connecting', 'connected', 'blocked', 'disconnected', 'closed'] as const;
const consumeResults = ['applied', 'duplicate', 'retried', 'dead_lettered', 'requeued'] as const;

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
      // Without a 0 sample first, increase() and rate() cannot see a handler's first dead-letter
      // (the series would start at 1), and the WarrenMessagesDeadLettered alert would stay quiet.
      attached(handler: string): void {
        for (const result of consumeResults) metrics.consumed.inc({ handler, result }, 0);
      },
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
