import { html } from 'hono/html';
import type { ActionTarget } from '../operator.ts';
import { csrfField, page, type Markup, type PageContext } from './layout.ts';

/** The confirmation a purge needs: the operator types the number of messages (or the queue's name). */
export function purgePage(context: PageContext, target: ActionTarget, count: number, problem?: string): Markup {
  const expected = target.deadLetterQueue && !target.messageIds?.length && !target.fingerprint ? target.deadLetterQueue : String(count);
  const body = html`
<p>This removes <strong>${count}</strong> parked message(s) for good${target.deadLetterQueue ? html` from <code>${target.deadLetterQueue}</code>` : ''}. It cannot be undone.</p>
${problem ? html`<p class="problem" role="alert">${problem}</p>` : ''}
<form method="post" action="/actions/purge">
  ${csrfField(context.session)}
  ${(target.messageIds ?? []).map((id) => html`<input type="hidden" name="messageIds" value="${id}">`)}
  ${target.fingerprint ? html`<input type="hidden" name="fingerprint" value="${target.fingerprint}">` : ''}
  ${target.deadLetterQueue ? html`<input type="hidden" name="deadLetterQueue" value="${target.deadLetterQueue}">` : ''}
  <label>Type <strong>${expected}</strong> to confirm <input type="text" name="confirm" autocomplete="off" required></label>
  <button type="submit" class="danger">Purge</button>
  <button type="submit" name="dryRun" value="true" class="secondary" formnovalidate>Dry run</button>
</form>`;
  return page(context, 'Purge parked messages', body);
}

/** What must be typed to confirm purging `target` of `count` messages. */
export function purgeConfirmation(target: ActionTarget, count: number): string {
  return target.deadLetterQueue && !target.messageIds?.length && !target.fingerprint ? target.deadLetterQueue : String(count);
}
