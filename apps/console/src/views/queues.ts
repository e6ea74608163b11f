import { html } from 'hono/html';
import type { OutboxSample, QueueSample, QueueState, ServiceRate } from '../queue-state.ts';
import { page, when, type Markup, type PageContext } from './layout.ts';

/** A small server-rendered line chart of a series (no script). */
export function sparkline(values: readonly (number | null)[], label: string, width = 160, height = 32): Markup {
  const points = values.map((value) => value ?? 0);
  const top = Math.max(1, ...points);
  const step = points.length > 1 ? width / (points.length - 1) : width;
  const path = points.map((value, index) => `${(index * step).toFixed(1)},${(height - (value / top) * (height - 2) - 1).toFixed(1)}`).join(' ');
  return html`<svg class="spark" role="img" aria-label="${label}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><polyline fill="none" stroke="currentColor" stroke-width="1.5" points="${path}"/></svg>`;
}

/** The refreshing part of the live state: one row per consumer queue. */
function outboxTable(outboxes: readonly OutboxSample[]): Markup {
  return html`<h2>Producers' outboxes</h2>
<div class="table-wrap"><table>
  <caption class="visually-hidden">Outbox backlog per producing service</caption>
  <thead><tr><th scope="col">Service</th><th scope="col" class="num">Pending</th><th scope="col" class="num">Oldest pending (s)</th><th scope="col" class="num">Published last minute</th><th scope="col" class="num">Failing</th></tr></thead>
  <tbody>${outboxes.map((outbox) =>
    outbox.error !== undefined
      ? html`<tr><th scope="row">${outbox.service}</th><td colspan="4" class="error">cannot read: ${outbox.error}</td></tr>`
      : html`<tr><th scope="row">${outbox.service}</th><td class="num">${outbox.pending}</td><td class="num">${outbox.oldestPendingMs === null ? '–' : (outbox.oldestPendingMs / 1_000).toFixed(1)}</td><td class="num">${outbox.publishedLastMinute}</td><td class="num">${outbox.failing}</td></tr>`,
  )}</tbody>
</table></div>`;
}

const perSecond = (rate: number | null): string => (rate === null ? '–' : rate.toFixed(2));

/** A message-rate cell: the rate, or why the service's counters gave none. */
function rateCell(name: string, rate: number | null, error: string | null): Markup {
  return error === null ? html`<td class="num" data-rate="${name}">${perSecond(rate)}</td>` : html`<td class="num error" data-rate="${name}">${error}</td>`;
}

/** The publish rate of every service whose counters the console reads. */
function serviceTable(services: readonly ServiceRate[], publishHistory: (service: string) => (number | null)[]): Markup {
  return html`<h2>Publish rates</h2>
<div class="table-wrap"><table>
  <caption class="visually-hidden">Events published per second per service</caption>
  <thead><tr><th scope="col">Service</th><th scope="col" class="num">Published / s</th><th scope="col">Published / s, last samples</th></tr></thead>
  <tbody>${services.map(
    (service) => html`<tr data-service="${service.service}"><th scope="row">${service.service}</th>${rateCell('published', service.published, service.error)}<td>${sparkline(publishHistory(service.service), `Events published per second by ${service.service} over the last samples`)}</td></tr>`,
  )}</tbody>
</table></div>`;
}

export interface LiveSample {
  at: Date;
  queues: readonly QueueSample[];
  outboxes: readonly OutboxSample[];
  services: readonly ServiceRate[];
}

export function queueTable({ at, queues, outboxes, services }: LiveSample, charts: Pick<QueueState, 'history' | 'publishHistory'>): Markup {
  return html`<div id="live" hx-get="/queues/live" hx-trigger="every 5s" hx-swap="outerHTML">
<p class="summary">Sampled ${when(at)}. Depth and consumers by passive declare; message rates per second since the previous sample, from the services' counters (acked: applied, duplicate and dead-lettered deliveries); the depth change is the change of depth per second between samples.</p>
<div class="table-wrap"><table>
  <caption class="visually-hidden">Consumer queues</caption>
  <thead><tr><th scope="col">Queue</th><th scope="col" class="num">Depth</th><th scope="col" class="num">Consumers</th><th scope="col" class="num">Delivered / s</th><th scope="col" class="num">Acked / s</th><th scope="col" class="num">Retried / s</th><th scope="col" class="num">Dead-lettered / s</th><th scope="col" class="num">Depth change / s</th><th scope="col" class="num">Dead letters</th><th scope="col">Depth, last samples</th><th scope="col">Acked / s, last samples</th></tr></thead>
  <tbody>
  ${queues.map((queue) => {
    const history = charts.history(queue.queue);
    return html`<tr data-queue="${queue.queue}">
    <th scope="row">${queue.queue}</th>
    <td class="num">${queue.depth ?? 'missing'}</td>
    <td class="num">${queue.consumers ?? '–'}</td>
    ${rateCell('delivered', queue.delivered, queue.ratesError)}
    ${rateCell('acked', queue.acked, queue.ratesError)}
    ${rateCell('retried', queue.retried, queue.ratesError)}
    ${rateCell('deadLettered', queue.deadLettered, queue.ratesError)}
    <td class="num">${perSecond(queue.depthRate)}</td>
    <td class="num"><a href="/messages?queue=${encodeURIComponent(queue.queue)}">${queue.deadLetters ?? '–'}</a></td>
    <td>${sparkline(history.map((entry) => entry.depth), `Depth of ${queue.queue} over the last samples`)}</td>
    <td>${sparkline(history.map((entry) => entry.acked), `Acks per second of ${queue.queue} over the last samples`)}</td>
  </tr>`;
  })}
  </tbody>
</table></div>
${services.length > 0 ? serviceTable(services, (service) => charts.publishHistory(service)) : ''}
${outboxes.length > 0 ? outboxTable(outboxes) : ''}
</div>`;
}

export function queuesPage(context: PageContext, table: Markup): Markup {
  return page(context, 'Live state', table);
}
