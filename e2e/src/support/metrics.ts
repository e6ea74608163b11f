import type { ServiceProcess } from '@warren/testing';

/** Reads a counter from a service's `/metrics`, summing the series whose labels include `labels`. */
export async function counter(service: ServiceProcess, name: string, labels: Record<string, string> = {}): Promise<number> {
  const response = await fetch(`${service.baseUrl}/metrics`);
  if (!response.ok) throw new Error(`${service.name} /metrics answered ${response.status}`);
  const wanted = Object.entries(labels).map(([label, value]) => `${label}="${value}"`);
  let total = 0;
  for (const line of (await response.text()).split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (wanted.every((pair) => line.includes(pair))) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** Deliveries of `handler` that a consumer process settled with `result` (applied, duplicate, retried…). */
export function consumed(service: ServiceProcess, handler: string, result: string): Promise<number> {
  return counter(service, 'warren_messages_consumed_total', { handler, result });
}
