/**
 * Every metric the dashboards, alert rules and data-source links may use, by where it comes from.
 * A query naming anything else is a typo or a metric nobody exports.
 */

/** Exported by the Warren services on GET /metrics (prom-client). Histograms add _bucket, _sum, _count. */
export const serviceMetrics = {
  histograms: [
    'http_request_duration_seconds',
    'warren_message_processing_seconds',
    'warren_event_end_to_end_seconds',
    'warren_outbox_publish_batch_size',
    'warren_relay_publish_seconds',
  ],
  counters: ['warren_messages_published_total', 'warren_messages_consumed_total'],
  gauges: ['warren_outbox_pending', 'warren_outbox_oldest_pending_seconds'],
} as const;

/** The values of `result` on warren_messages_consumed_total. */
export const consumeResults = ['applied', 'duplicate', 'retried', 'dead_lettered'] as const;

/** RabbitMQ's Prometheus plugin, aggregated endpoint `/metrics` (per-object metrics off). */
export const rabbitmqAggregated = [
  'rabbitmq_connections',
  'rabbitmq_channels',
  'rabbitmq_consumers',
  'rabbitmq_queues',
  'rabbitmq_queue_messages',
  'rabbitmq_queue_messages_ready',
  'rabbitmq_queue_messages_unacked',
  'rabbitmq_connections_opened_total',
  'rabbitmq_connections_closed_total',
  'rabbitmq_channels_opened_total',
  'rabbitmq_channels_closed_total',
  'rabbitmq_global_messages_received_total',
  'rabbitmq_global_messages_routed_total',
  'rabbitmq_global_messages_confirmed_total',
  'rabbitmq_global_messages_delivered_total',
  'rabbitmq_global_messages_acknowledged_total',
  'rabbitmq_global_messages_redelivered_total',
  'rabbitmq_global_messages_unroutable_returned_total',
  'rabbitmq_global_messages_unroutable_dropped_total',
  'rabbitmq_process_resident_memory_bytes',
  'rabbitmq_resident_memory_limit_bytes',
  'rabbitmq_disk_space_available_bytes',
  'rabbitmq_disk_space_available_limit_bytes',
] as const;

/** RabbitMQ's `/metrics/detailed?family=…`: the per-queue metrics of each family (labels vhost, queue). */
export const rabbitmqDetailedFamilies: Record<string, readonly string[]> = {
  queue_coarse_metrics: ['rabbitmq_detailed_queue_messages_ready', 'rabbitmq_detailed_queue_messages_unacked', 'rabbitmq_detailed_queue_messages'],
  queue_consumer_count: ['rabbitmq_detailed_queue_consumers'],
};

/** Prometheus' own series for every target. */
export const prometheusMetrics = ['up'] as const;

/** Every metric name a query may select, histogram series included. */
export const knownMetrics: ReadonlySet<string> = new Set([
  ...serviceMetrics.histograms.flatMap((name) => [`${name}_bucket`, `${name}_sum`, `${name}_count`]),
  ...serviceMetrics.counters,
  ...serviceMetrics.gauges,
  ...rabbitmqAggregated,
  ...Object.values(rabbitmqDetailedFamilies).flat(),
  ...prometheusMetrics,
]);
