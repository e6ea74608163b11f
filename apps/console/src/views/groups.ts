import { html } from 'hono/html';
import type { GroupKey, ParkedGroup } from '../parked/index-store.ts';
import { csrfField, page, when, type Markup, type PageContext } from './layout.ts';

const labels: Record<GroupKey, string> = { fingerprint: 'Error', eventType: 'Event type', queue: 'Queue', service: 'Service' };

function groupLink(by: GroupKey, key: string): string {
  const field = by === 'eventType' ? 'eventType' : by;
  return `/messages?${new URLSearchParams({ [field]: key }).toString()}`;
}

/** The failed messages grouped one way, with counts, first and last seen, and group actions. */
export function groupsPage(context: PageContext, by: GroupKey, groups: readonly ParkedGroup[], total: number, scannedAt: Date | undefined): Markup {
  const body = html`
<p class="summary" id="summary">${total} parked message(s) in ${groups.length} group(s). Index scanned ${when(scannedAt)}.</p>
<nav aria-label="Group by" class="tabs">
  ${(Object.keys(labels) as GroupKey[]).map((key) => html`<a href="/groups?by=${key}"${key === by ? html` aria-current="page"` : ''}>By ${labels[key].toLowerCase()}</a> `)}
</nav>
${context.canOperate
  ? html`<form method="post" action="/actions/refresh" class="inline">${csrfField(context.session)}<button type="submit">Rescan now</button></form>`
  : ''}
<div class="table-wrap">
<table class="groups">
  <caption class="visually-hidden">Groups of parked messages by ${labels[by].toLowerCase()}</caption>
  <thead><tr><th scope="col">${labels[by]}</th><th scope="col" class="num">Messages</th><th scope="col">First seen</th><th scope="col">Last seen</th>${context.canOperate ? html`<th scope="col">Actions</th>` : ''}</tr></thead>
  <tbody>
  ${groups.length === 0 ? html`<tr><td colspan="5">Nothing is parked.</td></tr>` : ''}
  ${groups.map(
    (group) => html`<tr data-group="${group.key}">
      <th scope="row"><a href="${groupLink(by, group.key)}">${by === 'fingerprint' ? group.example : group.key}</a>${by === 'fingerprint' ? html`<br><code class="muted">${group.key}</code>` : ''}</th>
      <td class="num">${group.count}</td>
      <td>${when(group.firstSeen)}</td>
      <td>${when(group.lastSeen)}</td>
      ${context.canOperate && by === 'fingerprint'
        ? html`<td class="actions">
          <form method="post" action="/actions/retry">${csrfField(context.session)}<input type="hidden" name="fingerprint" value="${group.key}">
            <button type="submit" name="dryRun" value="true" class="secondary">Dry run</button>
            <button type="submit" aria-label="Retry group ${group.example}">Retry group</button>
          </form>
          <a class="button danger" href="/purge?fingerprint=${encodeURIComponent(group.key)}">Purge…</a>
        </td>`
        : context.canOperate
          ? html`<td><a href="${groupLink(by, group.key)}">Select messages</a></td>`
          : ''}
    </tr>`,
  )}
  </tbody>
</table>
</div>`;
  return page(context, 'Failed messages', body);
}
