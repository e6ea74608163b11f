import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Session } from '../auth/sessions.ts';

export type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface PageContext {
  session: Session;
  canOperate: boolean;
  /** The path of the page, to mark the current navigation entry. */
  path: string;
}

const navigation = [
  ['/groups', 'Failed messages'],
  ['/messages', 'Search'],
  ['/queues', 'Live state'],
  ['/archive', 'Archive replay'],
  ['/activity', 'Activity'],
] as const;

/** The page frame: header with navigation and the operator, then `body`. No inline script or style. */
export function page(context: PageContext, title: string, body: Markup): Markup {
  const { session, path } = context;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${session.csrfToken}">
<title>${title} · Warren console</title>
<link rel="stylesheet" href="/assets/console.css">
<script src="/assets/htmx.min.js" defer></script>
<script src="/assets/console.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/groups">Warren console</a>
  <nav aria-label="Main">
    <ul>
      ${navigation.map(([href, label]) => html`<li><a href="${href}"${path.startsWith(href) ? html` aria-current="page"` : ''}>${label}</a></li>`)}
    </ul>
  </nav>
  <form class="who" method="post" action="/auth/logout">
    <input type="hidden" name="_csrf" value="${session.csrfToken}">
    <span>${session.name ?? session.subject}${context.canOperate ? '' : ' (read only)'}</span>
    <button type="submit" class="link">Sign out</button>
  </form>
</header>
<main id="main" tabindex="-1">
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

/** A hidden field with the session's CSRF token, for every form that changes something. */
export function csrfField(session: Session): Markup {
  return html`<input type="hidden" name="_csrf" value="${session.csrfToken}">`;
}

export function when(date: Date | null | undefined): Markup {
  if (!date) return html`<span class="muted">–</span>`;
  const iso = date.toISOString();
  return html`<time datetime="${iso}">${iso.replace('T', ' ').slice(0, 19)}</time>`;
}

/** A standalone small page (login errors, access denied). */
export function plainPage(title: string, body: Markup): Markup {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Warren console</title><link rel="stylesheet" href="/assets/console.css"></head>
<body><main id="main"><h1>${title}</h1>${body}</main></body></html>`;
}
