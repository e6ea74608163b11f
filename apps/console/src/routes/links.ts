import type { ConsoleConfig } from '../config.ts';
import type { IndexedMessage } from '../parked/index-store.ts';
import type { MessageLinks } from '../views/message.ts';

/** The trace id of a W3C `traceparent` header, if it is one. */
export function traceIdOf(traceparent: unknown): string | undefined {
  const match = typeof traceparent === 'string' ? /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent) : null;
  return match?.[1];
}

function explore(grafana: string, datasource: string, query: Record<string, unknown>): string {
  const panes = { a: { datasource, queries: [{ refId: 'A', datasource: { uid: datasource }, ...query }], range: { from: 'now-7d', to: 'now' } } };
  return `${grafana.replace(/\/$/, '')}/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify(panes))}`;
}

/** Links from a parked message to its trace in Tempo and its log lines in Loki, through Grafana's Explore. */
export function messageLinks(config: ConsoleConfig, message: IndexedMessage | undefined): MessageLinks {
  const headers = (message?.properties['headers'] ?? {}) as Record<string, unknown>;
  const traceId = traceIdOf(headers['traceparent']);
  if (!traceId) return {};
  return {
    traceId,
    trace: explore(config.CONSOLE_GRAFANA_URL, config.CONSOLE_TEMPO_DATASOURCE, { queryType: 'traceql', query: traceId }),
    logs: explore(config.CONSOLE_GRAFANA_URL, config.CONSOLE_LOKI_DATASOURCE, { expr: `{service=~".+"} | trace_id="${traceId}"` }),
  };
}
