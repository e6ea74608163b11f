import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Seconds buckets from 1 ms to 10 s: HTTP requests, message processing, end-to-end latency. */
const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface OutboxGaugeSource {
  /** Reads the backlog when Prometheus scrapes. */
  read(): Promise<{ pending: number; oldestPendingSeconds: number }>;
}

/**
 * One prom-client registry per service with default process metrics, the HTTP series and
 * Warren's own `warren_*` series. Histograms keep exemplars under the label `trace_id` (what
 * Grafana's exemplar link uses), exposed in the OpenMetrics format.
 */
export function createMetricsRegistry({ service }: { service: string }) {
  const registry = new Registry<typeof Registry.OPENMETRICS_CONTENT_TYPE>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method, route template and status.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: latencyBuckets,
      enableExemplars: true,
      registers,
    }),
    httpRequests: new Counter({ name: 'http_requests_total', help: 'HTTP requests by method, route template and status.', labelNames: ['method', 'route', 'status'] as const, registers }),
    published: new Counter({ name: 'warren_messages_published_total', help: 'Events the relay published and the broker confirmed.', registers }),
    consumed: new Counter({
      name: 'warren_messages_consumed_total',
      help: 'Deliveries settled, by handler and result (applied, duplicate, retried, dead_lettered, requeued).',
      labelNames: ['handler', 'result'] as const,
      registers,
    }),
    processing: new Histogram({
      name: 'warren_message_processing_seconds',
      help: 'Time from receiving a delivery to settling it.',
      labelNames: ['handler', 'result'] as const,
      buckets: latencyBuckets,
      enableExemplars: true,
      registers,
    }),
    endToEnd: new Histogram({
      name: 'warren_event_end_to_end_seconds',
      help: "From the event's timestamp to its being applied by a handler.",
      labelNames: ['handler'] as const,
      buckets: latencyBuckets,
      enableExemplars: true,
      registers,
    }),
    batchSize: new Histogram({
      name: 'warren_outbox_publish_batch_size',
      help: 'Rows per relay batch.',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers,
    }),
    relayPublish: new Histogram({ name: 'warren_relay_publish_seconds', help: 'Time to publish a batch and receive its confirms.', buckets: latencyBuckets, registers }),
    brokerState: new Gauge({ name: 'warren_broker_connection_state', help: '1 for the broker connection state the service is in.', labelNames: ['state'] as const, registers }),
  };
}

export type MetricsRegistry = ReturnType<typeof createMetricsRegistry>;

/** Backlog gauges computed at scrape time from the outbox table. */
export function registerOutboxGauges(metrics: MetricsRegistry, source: OutboxGaugeSource): void {
  let last: Promise<{ pending: number; oldestPendingSeconds: number }> | undefined;
  // Both gauges are filled from one query per scrape.
  const read = () => (last ??= source.read().finally(() => setTimeout(() => (last = undefined), 0)));
  new Gauge({
    name: 'warren_outbox_pending',
    help: 'Outbox rows not yet published.',
    registers: [metrics.registry],
    async collect() {
      this.set((await read()).pending);
    },
  });
  new Gauge({
    name: 'warren_outbox_oldest_pending_seconds',
    help: 'Age of the oldest unpublished outbox row.',
    registers: [metrics.registry],
    async collect() {
      this.set((await read()).oldestPendingSeconds);
    },
  });
}
