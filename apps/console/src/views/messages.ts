import { html } from 'hono/html';
import type { IndexedMessage, ParkedSearch } from '../parked/index-store.ts';
import { csrfField, page, when, type Markup, type PageContext } from './layout.ts';

const fields: [keyof ParkedSearch, string, string][] = [
  ['messageId', 'Message id', 'text'],
  ['correlationId', 'Correlation id', 'text'],
  ['subject', 'Subject', 'text'],
  ['eventType', 'Event type', 'text'],
  ['queue', 'Queue', 'text'],
  ['text', 'Text in error or body', 'search'],
];

function value(search: ParkedSearch, name: keyof ParkedSearch): string {
  const entry = search[name];
  if (entry instanceof Date) return entry.toISOString().slice(0, 16);
  return entry === undefined ? '' : String(entry);
}

/** Search over the index, and the matching messages with a selection to act on. */
export function messagesPage(context: PageContext, search: ParkedSearch, messages: readonly IndexedMessage[], total: number): Markup {
  const body = html`
<form method="get" action="/messages" class="search" role="search">
  ${fields.map(([name, label, type]) => html`<label>${label}<input type="${type}" name="${name}" value="${value(search, name)}"></label>`)}
  <label>Failed from<input type="datetime-local" name="from" value="${value(search, 'from')}"></label>
  <label>Failed until<input type="datetime-local" name="to" value="${value(search, 'to')}"></label>
  ${search.fingerprint ? html`<input type="hidden" name="fingerprint" value="${search.fingerprint}">` : ''}
  ${search.service ? html`<input type="hidden" name="service" value="${search.service}">` : ''}
  <button type="submit">Search</button>
</form>
<p class="summary">${total} message(s) match${total > messages.length ? html`; the first ${messages.length} are shown` : ''}.</p>
<form method="post" action="/actions/retry" id="selection">
${csrfField(context.session)}
<div class="table-wrap">
<table>
  <caption class="visually-hidden">Parked messages</caption>
  <thead><tr>${context.canOperate ? html`<th scope="col"><span class="visually-hidden">Select</span></th>` : ''}<th scope="col">Message</th><th scope="col">Event</th><th scope="col">Queue</th><th scope="col">Error</th><th scope="col">Failed</th><th scope="col" class="num">Replays</th></tr></thead>
  <tbody>
  ${messages.map(
    (message) => html`<tr>
    ${context.canOperate ? html`<td><input type="checkbox" name="messageIds" value="${message.messageId}" aria-label="Select ${message.messageId}"></td>` : ''}
    <td><a href="/messages/${encodeURIComponent(message.messageId)}"><code>${message.messageId}</code></a></td>
    <td>${message.routingKey ?? message.eventType ?? '–'}</td>
    <td>${message.deadLetterQueue}</td>
    <td class="error">${message.errorSummary}</td>
    <td>${when(message.failedAt)}</td>
    <td class="num">${message.replayCount}</td>
  </tr>`,
  )}
  </tbody>
</table>
</div>
${context.canOperate && messages.length > 0
  ? html`<div class="bar">
  <button type="submit" name="dryRun" value="true" class="secondary">Dry run retry of selected</button>
  <button type="submit">Retry selected</button>
  <button type="submit" formaction="/purge" formmethod="get" class="danger">Purge selected…</button>
  <label>Redirect to queue<input type="text" name="to" list="queues"></label>
  <button type="submit" formaction="/actions/redirect" class="secondary">Redirect selected</button>
</div>`
  : ''}
</form>`;
  return page(context, 'Search', body);
}
