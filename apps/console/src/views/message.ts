import { html } from 'hono/html';
import type { ReplayFollowUp } from '../activity.ts';
import type { IndexedMessage } from '../parked/index-store.ts';
import { csrfField, page, when, type Markup, type PageContext } from './layout.ts';

export interface MessageLinks {
  trace?: string | undefined;
  logs?: string | undefined;
  traceId?: string | undefined;
}

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function headerRows(headers: Record<string, unknown>): Markup {
  const names = Object.keys(headers).sort((a, b) => Number(b.startsWith('x-')) - Number(a.startsWith('x-')) || a.localeCompare(b));
  return html`${names.map((name) => html`<tr><th scope="row"><code>${name}</code></th><td><pre>${typeof headers[name] === 'string' ? headers[name] : JSON.stringify(headers[name], null, 2)}</pre></td></tr>`)}`;
}

export interface EditState {
  allowEdit: boolean;
  /** Why the last edit was refused, with its per-field issues, and the text the operator sent. */
  problem?: string;
  issues?: readonly string[];
  draft?: string;
}

function dataOf(body: string): string {
  try {
    return JSON.stringify((JSON.parse(body) as { data?: unknown }).data ?? null, null, 2);
  } catch {
    return '';
  }
}

function editForm(context: PageContext, copy: IndexedMessage, edit: EditState): Markup {
  return html`<form method="post" action="/actions/edit" class="edit">${csrfField(context.session)}
    <input type="hidden" name="messageId" value="${copy.messageId}"><input type="hidden" name="deadLetterQueue" value="${copy.deadLetterQueue}">
    <label>Data to retry with (JSON, checked against the event's contract; the original stays in the action's record)
      <textarea name="data" rows="12" spellcheck="false">${edit.draft ?? dataOf(copy.body)}</textarea></label>
    <button type="submit">Edit and retry</button>
  </form>`;
}

/** One parked message: every copy held, its envelope, data, properties and headers, history and links. */
export function messagePage(
  context: PageContext,
  messageId: string,
  copies: readonly IndexedMessage[],
  history: readonly (ReplayFollowUp & { activityId: number; replayedAt: Date })[],
  links: MessageLinks,
  edit: EditState = { allowEdit: false },
): Markup {
  const body = html`
<p class="links">
  ${links.trace ? html`<a href="${links.trace}" rel="noopener">Trace ${links.traceId ?? ''} in Grafana (Tempo)</a>` : html`<span class="muted">No traceparent header: no trace link.</span>`}
  ${links.logs ? html` · <a href="${links.logs}" rel="noopener">Logs in Grafana (Loki)</a>` : ''}
</p>
${edit.problem ? html`<div class="problem" role="alert"><p>${edit.problem}</p>${edit.issues?.length ? html`<ul>${edit.issues.map((issue) => html`<li>${issue}</li>`)}</ul>` : ''}</div>` : ''}
${copies.length === 0 ? html`<p>Message <code>${messageId}</code> is not parked (any more). Its history is below.</p>` : ''}
${copies.map((copy) => {
  const { headers = {}, ...properties } = copy.properties as { headers?: Record<string, unknown> } & Record<string, unknown>;
  return html`<section class="copy" aria-labelledby="copy-${copy.rowId}">
  <h2 id="copy-${copy.rowId}">In ${copy.deadLetterQueue} <span class="muted">(${copy.parkedBy === 'broker' ? 'dead-lettered by the broker' : 'parked by the consumer'})</span></h2>
  <dl class="facts">
    <dt>Error</dt><dd class="error">${copy.errorSummary}</dd>
    <dt>Event</dt><dd>${copy.routingKey ?? copy.eventType ?? '–'}</dd>
    <dt>Subject</dt><dd>${copy.subject ?? '–'}</dd>
    <dt>Correlation id</dt><dd>${copy.correlationId ?? '–'}</dd>
    <dt>Failed in</dt><dd>${copy.queue}</dd>
    <dt>Attempts</dt><dd>${copy.attempts ?? '–'}</dd>
    <dt>Replays so far</dt><dd>${copy.replayCount}</dd>
    <dt>Failed at</dt><dd>${when(copy.failedAt)}</dd>
    <dt>Fingerprint</dt><dd><a href="/messages?fingerprint=${copy.fingerprint}"><code>${copy.fingerprint}</code></a></dd>
  </dl>
  ${context.canOperate
    ? html`<div class="bar">
    <form method="post" action="/actions/retry" class="inline">${csrfField(context.session)}
      <input type="hidden" name="messageIds" value="${copy.messageId}"><input type="hidden" name="deadLetterQueue" value="${copy.deadLetterQueue}">
      <button type="submit">Retry</button></form>
    <a class="button danger" href="/purge?messageIds=${encodeURIComponent(copy.messageId)}&amp;deadLetterQueue=${encodeURIComponent(copy.deadLetterQueue)}">Purge…</a>
    <form method="post" action="/actions/redirect" class="inline">${csrfField(context.session)}
      <input type="hidden" name="messageIds" value="${copy.messageId}"><input type="hidden" name="deadLetterQueue" value="${copy.deadLetterQueue}">
      <label>Redirect to queue <input type="text" name="to" required></label><button type="submit" class="secondary">Redirect</button></form>
  </div>
  ${edit.allowEdit ? editForm(context, copy, edit) : ''}`
    : ''}
  <h3>Body (envelope and data)</h3>
  <pre class="body">${pretty(copy.body)}</pre>
  <h3>Properties</h3>
  <div class="table-wrap"><table class="kv"><tbody>${headerRows(properties)}</tbody></table></div>
  <h3>Headers</h3>
  <div class="table-wrap"><table class="kv"><tbody>${headerRows(headers)}</tbody></table></div>
</section>`;
})}
<section aria-labelledby="history"><h2 id="history">Retries from this console</h2>
${history.length === 0
  ? html`<p>None.</p>`
  : html`<ul>${history.map((entry) => html`<li>${when(entry.replayedAt)}: replay ${entry.replayCount} from ${entry.deadLetterQueue} — <strong>${entry.status}</strong> (<a href="/activity/${entry.activityId}">action ${entry.activityId}</a>)</li>`)}</ul>`}
</section>`;
  return page(context, `Message ${messageId}`, body);
}
