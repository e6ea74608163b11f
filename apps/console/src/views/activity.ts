import { html } from 'hono/html';
import type { Activity, ReplayFollowUp } from '../activity.ts';
import type { ActionProgress } from '../operator.ts';
import { page, when, type Markup, type PageContext } from './layout.ts';

/** Every operator action, newest first. */
export function activityPage(context: PageContext, activities: readonly Activity[]): Markup {
  const body = html`
<div class="table-wrap">
<table>
  <caption class="visually-hidden">Operator actions</caption>
  <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Outcome</th></tr></thead>
  <tbody>
  ${activities.map(
    (entry) => html`<tr>
    <td><a href="/activity/${entry.id}">${when(entry.at)}</a></td>
    <td>${entry.actor}</td>
    <td>${entry.action}${entry.dryRun ? ' (dry run)' : ''}</td>
    <td>${entry.target}</td>
    <td>${entry.outcome}</td>
  </tr>`,
  )}
  </tbody>
</table>
</div>`;
  return page(context, 'Activity', body);
}

/** The part of an action's page that refreshes while it runs (htmx polls it). */
export function actionStatus(entry: Activity, progress: ActionProgress | undefined, replays: readonly ReplayFollowUp[]): Markup {
  const settled = replays.filter((replay) => replay.status !== 'pending').length;
  const polling = progress !== undefined || replays.some((replay) => replay.status === 'pending');
  return html`<div id="status" ${polling ? html`hx-get="/activity/${entry.id}/status" hx-trigger="every 1s" hx-swap="outerHTML"` : ''} aria-live="polite">
  <p>Outcome: <strong data-outcome>${entry.outcome}</strong></p>
  ${progress ? html`<p><progress max="${progress.total}" value="${progress.done}" aria-label="Progress">${progress.done}/${progress.total}</progress> ${progress.done} of ${progress.total} done, ${progress.failed} failed</p>` : ''}
  ${replays.length > 0
    ? html`<h2>Follow-up</h2>
  <p>${settled} of ${replays.length} retried message(s) settled: <span data-applied>${replays.filter((replay) => replay.status === 'applied').length}</span> applied, <span data-failed-again>${replays.filter((replay) => replay.status === 'failed-again').length}</span> failed again.</p>
  <ul>${replays.map((replay) => html`<li><a href="/messages/${encodeURIComponent(replay.messageId)}"><code>${replay.messageId}</code></a> (replay ${replay.replayCount}): <strong>${replay.status}</strong></li>`)}</ul>`
    : ''}
</div>`;
}

/** One action: what was asked, by whom, its progress and the follow-up of what it retried. */
export function actionPage(context: PageContext, entry: Activity, progress: ActionProgress | undefined, replays: readonly ReplayFollowUp[]): Markup {
  const matched = Array.isArray(entry.detail['matched']) ? (entry.detail['matched'] as { messageId: string; queue: string }[]) : undefined;
  const body = html`
<dl class="facts">
  <dt>When</dt><dd>${when(entry.at)}</dd>
  <dt>Who</dt><dd>${entry.actor}</dd>
  <dt>Action</dt><dd>${entry.action}${entry.dryRun ? ' (dry run: nothing changed)' : ''}</dd>
  <dt>Target</dt><dd>${entry.target}</dd>
</dl>
${actionStatus(entry, progress, replays)}
${typeof entry.detail['originalBody'] === 'string'
  ? html`<h2>Original body</h2><pre class="body">${entry.detail['originalBody']}</pre><h2>Body sent</h2><pre class="body">${String(entry.detail['editedBody'])}</pre>`
  : ''}
${matched ? html`<h2>Would be affected</h2><ul>${matched.map((item) => html`<li><code>${item.messageId}</code> → ${item.queue}</li>`)}</ul>` : ''}
<p class="muted">A retried message counts as <em>failed again</em> when its id is back in a dead-letter queue with a higher replay count, and as <em>applied</em> once it has left the queues and not come back within the retry window.</p>`;
  return page(context, `Action ${entry.id}: ${entry.action}`, body);
}
