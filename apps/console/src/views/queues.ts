import { html } from 'hono/html';
import type { OutboxSample, QueueSample } from '../queue-state.ts';
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

export function queueTable(at: Date, queues: readonly QueueSample[], history: (queue: string) => { depth: number | null; deadLetters: number | null }[], outboxes: readonly OutboxSample[] = []): Markup {
  return html`<div id="live" hx-get="/queues/live" hx-trigger="every 5s" hx-swap="outerHTML">
<p class="summary">Sampled ${when(at)}. Depth and consumers by passive declare; the rate is the change of depth per second between samples (not a message rate).</p>
<div class="table-wrap"><table>
  <caption class="visually-hidden">Consumer queues</caption>
  <thead><tr><th scope="col">Queue</th><th scope="col" class="num">Depth</th><th scope="col" class="num">Consumers</th><th scope="col" class="num">Depth change / s</th><th scope="col" class="num">Dead letters</th><th scope="col">Depth, last samples</th></tr></thead>
  <tbody>
  ${queues.map(
    (queue) => html`<tr>
    <th scope="row">${queue.queue}</th>
    <td class="num">${queue.depth ?? 'missing'}</td>
    <td class="num">${queue.consumers ?? '–'}</td>
    <td class="num">${queue.depthRate === null ? '–' : queue.depthRate.toFixed(2)}</td>
    <td class="num"><a href="/messages?queue=${encodeURIComponent(queue.queue)}">${queue.deadLetters ?? '–'}</a></td>
    <td>${sparkline(history(queue.queue).map((entry) => entry.depth), `Depth of ${queue.queue} over the last samples`)}</td>
  </tr>`,
  )}
  </tbody>
</table></div>
${outboxes.length > 0 ? outboxTable(outboxes) : ''}
</div>`;
}

export function queuesPage(context: PageContext, table: Markup): Markup {
  return page(context, 'Live state', table);
}
