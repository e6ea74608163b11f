import { html } from 'hono/html';
import type { ArchiveBrowse } from '@warren/operations';
import { csrfField, page, when, type Markup, type PageContext } from './layout.ts';

export interface ArchiveForm {
  service: string;
  type: string;
  subject: string;
  since: string;
  until: string;
}

/** A producer's archived events, selectable, and the form to re-publish them to one consumer queue. */
export function archivePage(context: PageContext, services: readonly string[], queues: readonly string[], form: ArchiveForm, found: ArchiveBrowse | undefined, problem?: string): Markup {
  const filters = html`
  <input type="hidden" name="service" value="${form.service}"><input type="hidden" name="type" value="${form.type}">
  <input type="hidden" name="subject" value="${form.subject}"><input type="hidden" name="since" value="${form.since}"><input type="hidden" name="until" value="${form.until}">`;
  const body = html`
<form method="get" action="/archive" class="search" role="search">
  <label>Producer<select name="service">${services.map((service) => html`<option${service === form.service ? html` selected` : ''}>${service}</option>`)}</select></label>
  <label>Event type or routing key<input type="text" name="type" value="${form.type}"></label>
  <label>Subject<input type="text" name="subject" value="${form.subject}"></label>
  <label>Published from<input type="datetime-local" name="since" value="${form.since}"></label>
  <label>Published until<input type="datetime-local" name="until" value="${form.until}"></label>
  <button type="submit">Browse</button>
</form>
${problem ? html`<p class="problem" role="alert">${problem}</p>` : ''}
${found
  ? html`<p class="summary">${found.total} archived event(s) match; the first ${found.events.length} are listed.</p>
<form method="post" action="/actions/archive-replay">
${csrfField(context.session)}${filters}
<div class="table-wrap"><table>
  <caption class="visually-hidden">Archived events</caption>
  <thead><tr>${context.canOperate ? html`<th scope="col"><span class="visually-hidden">Select</span></th>` : ''}<th scope="col">Event id</th><th scope="col">Routing key</th><th scope="col">Subject</th><th scope="col">Published</th></tr></thead>
  <tbody>${found.events.map(
    (event) => html`<tr>${context.canOperate ? html`<td><input type="checkbox" name="ids" value="${event.message.envelope.id}" aria-label="Select ${event.message.envelope.id}"></td>` : ''}
    <td><code>${event.message.envelope.id}</code></td><td>${event.message.routingKey}</td><td>${event.message.envelope.subject}</td><td>${when(event.publishedAt)}</td></tr>`,
  )}</tbody>
</table></div>
${context.canOperate
  ? html`<div class="bar">
  <label>To consumer queue<select name="queue">${queues.map((queue) => html`<option>${queue}</option>`)}</select></label>
  <button type="submit" name="dryRun" value="true" class="secondary">Dry run</button>
  <button type="submit">Re-publish selected (none selected: the whole selection)</button>
</div>`
  : ''}
</form>`
  : ''}`;
  return page(context, 'Archive replay', body);
}
