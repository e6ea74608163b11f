import type { Context, Hono, MiddlewareHandler } from 'hono';
import { ForbiddenError, NotFoundError, ValidationError } from '@warren/http';
import { scopes, type ConsoleEnv } from '../auth/access.ts';
import { csrfTokenMatches } from '../auth/sessions.ts';
import type { ConsoleDeps } from '../console-deps.ts';
import { groupKeys, type GroupKey } from '../parked/index-store.ts';
import type { ActionTarget } from '../operator.ts';
import { consumerQueues } from '@warren/contracts';
import { browseArchive, OperationsError } from '@warren/operations';
import { actionPage, actionStatus, activityPage } from '../views/activity.ts';
import { archivePage, type ArchiveForm } from '../views/archive.ts';
import { groupsPage } from '../views/groups.ts';
import type { Markup, PageContext } from '../views/layout.ts';
import { messagePage } from '../views/message.ts';
import { messagesPage } from '../views/messages.ts';
import { purgeConfirmation, purgePage } from '../views/purge.ts';
import { queuesPage, queueTable } from '../views/queues.ts';
import { messageLinks } from './links.ts';
import { asProblem, EditDisabledError } from './problems.ts';
import { searchOf, targetOf, targetSearch } from './target.ts';

type Form = Record<string, string | File | (string | File)[]>;

function contextOf(c: Context<ConsoleEnv>): PageContext {
  const session = c.get('session');
  if (!session) throw new Error('page without a session');
  return { session, canOperate: c.get('scopes').has(scopes.operate), path: new URL(c.req.url).pathname };
}

/** Every POST from a page: the operate scope and the session's CSRF token (`_csrf` field or `X-CSRF-Token`). */
function requireOperate(): MiddlewareHandler<ConsoleEnv> {
  return async function checkAction(c, next) {
    const session = c.get('session');
    const form: Form = await c.req.parseBody({ all: true });
    const submitted = typeof form['_csrf'] === 'string' ? form['_csrf'] : c.req.header('x-csrf-token');
    if (!session || !csrfTokenMatches(session, submitted)) throw new ForbiddenError('a valid CSRF token');
    if (!c.get('scopes').has(scopes.operate)) throw new ForbiddenError(scopes.operate);
    await next();
  };
}

async function countOf(deps: ConsoleDeps, target: ActionTarget): Promise<number> {
  let total = 0;
  for (const search of targetSearch(target)) total += await deps.store.count(search);
  return total;
}

/** The HTML pages of the console and the form actions behind them. */
export function registerPageRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps, guard: MiddlewareHandler<ConsoleEnv>): void {
  const { store, activity, operator, indexer, queueState, config } = deps;
  const render = (c: Context<ConsoleEnv>, markup: Markup, status: 200 | 400 = 200) => c.html(markup, status);

  for (const path of ['/', '/groups', '/messages', '/messages/*', '/activity', '/activity/*', '/purge', '/queues', '/queues/*', '/archive', '/actions/*']) app.use(path, guard);
  app.use('/actions/*', requireOperate());

  app.get('/', (c) => c.redirect('/groups', 302));

  app.get('/groups', async (c) => {
    const by = (groupKeys as readonly string[]).includes(c.req.query('by') ?? '') ? (c.req.query('by') as GroupKey) : 'fingerprint';
    const search = searchOf(c.req.query());
    const [groups, total, scans] = await Promise.all([store.groups(by, search), store.count(search), store.lastScans()]);
    const scannedAt = scans.map((scan) => scan.scannedAt).sort((a, b) => b.getTime() - a.getTime())[0];
    return render(c, groupsPage(contextOf(c), by, groups, total, scannedAt));
  });

  app.get('/messages', async (c) => {
    const search = searchOf(c.req.query());
    const [messages, total] = await Promise.all([store.search(search), store.count(search)]);
    return render(c, messagesPage(contextOf(c), search, messages, total));
  });

  app.get('/messages/:id', async (c) => {
    const id = c.req.param('id');
    const [copies, history] = await Promise.all([store.byMessageId(id), activity.replaysOfMessage(id)]);
    if (copies.length === 0 && history.length === 0) throw new NotFoundError(`No parked message has the id ${id}.`);
    return render(c, messagePage(contextOf(c), id, copies, history, messageLinks(config, copies[0]), { allowEdit: config.CONSOLE_ALLOW_EDIT }));
  });

  app.get('/activity', async (c) => render(c, activityPage(contextOf(c), await activity.list({ limit: 200 }))));

  const action = async (c: Context<ConsoleEnv>) => {
    const id = Number(c.req.param('id'));
    const entry = Number.isInteger(id) ? await activity.get(id) : undefined;
    if (!entry) throw new NotFoundError('No such action.');
    return { entry, replays: await activity.replaysOf(entry.id), progress: operator.progress(entry.id) };
  };
  app.get('/activity/:id', async (c) => {
    const { entry, replays, progress } = await action(c);
    return render(c, actionPage(contextOf(c), entry, progress, replays));
  });
  app.get('/activity/:id/status', async (c) => {
    const { entry, replays, progress } = await action(c);
    return render(c, actionStatus(entry, progress, replays));
  });

  app.get('/purge', async (c) => {
    if (!c.get('scopes').has(scopes.operate)) throw new ForbiddenError(scopes.operate);
    const target = targetOf(c.req.queries());
    return render(c, purgePage(contextOf(c), target, await countOf(deps, target)));
  });

  app.get('/queues', async (c) => {
    const { at, queues, outboxes, services } = await queueState.sample();
    return render(c, queuesPage(contextOf(c), queueTable({ at, queues, outboxes, services }, queueState)));
  });
  app.get('/queues/live', async (c) => {
    return render(c, queueTable(await queueState.sample(), queueState));
  });

  const formOf = async (c: Context<ConsoleEnv>): Promise<Form> => c.req.parseBody({ all: true });
  const started = (c: Context<ConsoleEnv>, activityId: number) => c.redirect(`/activity/${activityId}`, 303);

  app.post('/actions/retry', async (c) => {
    const form = await formOf(c);
    const target = targetOf(form);
    const { activityId } = await operator.retry({ actor: c.get('caller'), target, dryRun: form['dryRun'] === 'true' });
    return started(c, activityId);
  });

  app.post('/actions/purge', async (c) => {
    const form = await formOf(c);
    const target = targetOf(form);
    const dryRun = form['dryRun'] === 'true';
    const count = await countOf(deps, target);
    if (!dryRun && form['confirm'] !== purgeConfirmation(target, count)) {
      return render(c, purgePage(contextOf(c), target, count, `Type ${purgeConfirmation(target, count)} exactly to confirm; nothing was purged.`), 400);
    }
    const { activityId } = await operator.purge({ actor: c.get('caller'), target, dryRun });
    return started(c, activityId);
  });

  app.post('/actions/redirect', async (c) => {
    const form = await formOf(c);
    const to = typeof form['to'] === 'string' ? form['to'].trim() : '';
    if (!to) throw new ValidationError('Name the queue to redirect to.', [{ path: 'to', message: 'required' }]);
    const { activityId } = await operator.redirect({ actor: c.get('caller'), target: targetOf(form), dryRun: form['dryRun'] === 'true', to });
    return started(c, activityId);
  });

  app.post('/actions/edit', async (c) => {
    if (!config.CONSOLE_ALLOW_EDIT) throw new EditDisabledError();
    const form = await formOf(c);
    const messageId = typeof form['messageId'] === 'string' ? form['messageId'] : '';
    const deadLetterQueue = typeof form['deadLetterQueue'] === 'string' ? form['deadLetterQueue'] : '';
    const text = typeof form['data'] === 'string' ? form['data'] : '';
    const again = async (problem: string, issues: readonly string[] = []) => {
      const [copies, history] = await Promise.all([store.byMessageId(messageId), activity.replaysOfMessage(messageId)]);
      return render(c, messagePage(contextOf(c), messageId, copies, history, messageLinks(config, copies[0]), { allowEdit: true, problem, issues, draft: text }), 400);
    };
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return again('The data is not JSON; nothing was sent.');
    }
    try {
      const { activityId } = await operator.edit({ actor: c.get('caller'), deadLetterQueue, messageId, data });
      return started(c, activityId);
    } catch (error) {
      const problem = asProblem(error);
      if (problem instanceof Error && 'status' in problem && problem.status === 422) return again(`${problem.message} Nothing was sent.`, (error as { issues?: readonly string[] }).issues ?? []);
      throw problem;
    }
  });

  const archiveFormOf = (fields: Record<string, unknown>): ArchiveForm => {
    const text = (name: string) => (typeof fields[name] === 'string' ? fields[name].trim().slice(0, 200) : '');
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString().slice(0, 16);
    return { service: text('service') || (deps.archives.services[0] ?? ''), type: text('type'), subject: text('subject'), since: text('since') || hourAgo, until: text('until') || new Date(Date.now() + 60_000).toISOString().slice(0, 16) };
  };
  const selectionOf = (form: ArchiveForm) => ({ ...(form.type ? { type: form.type } : {}), ...(form.subject ? { subject: form.subject } : {}), since: new Date(`${form.since}Z`), until: new Date(`${form.until}Z`) });
  const queues = consumerQueues.map((consumer) => consumer.queue);

  app.get('/archive', async (c) => {
    const form = archiveFormOf(c.req.query());
    const sql = deps.archives.sqlOf(form.service);
    if (!sql) return render(c, archivePage(contextOf(c), deps.archives.services, queues, form, undefined, 'No producer archive is configured (CONSOLE_ARCHIVE_DATABASE_URLS).'));
    const selection = selectionOf(form);
    if (Number.isNaN(selection.since.getTime()) || Number.isNaN(selection.until.getTime())) return render(c, archivePage(contextOf(c), deps.archives.services, queues, form, undefined, 'The time range is not valid.'), 400);
    return render(c, archivePage(contextOf(c), deps.archives.services, queues, form, await browseArchive(sql, selection, { limit: 200 })));
  });

  app.post('/actions/archive-replay', async (c) => {
    const fields = await formOf(c);
    const form = archiveFormOf(fields);
    const ids = Array.isArray(fields['ids']) ? fields['ids'].filter((id): id is string => typeof id === 'string') : typeof fields['ids'] === 'string' ? [fields['ids']] : undefined;
    const queue = typeof fields['queue'] === 'string' ? fields['queue'] : '';
    try {
      const { activityId } = await operator.archiveReplay({ actor: c.get('caller'), service: form.service, queue, selection: selectionOf(form), ids, dryRun: fields['dryRun'] === 'true' });
      return started(c, activityId);
    } catch (error) {
      if (error instanceof OperationsError) return render(c, archivePage(contextOf(c), deps.archives.services, queues, form, undefined, `${error.message}; nothing was sent.`), 400);
      throw error;
    }
  });

  app.post('/actions/refresh', async (c) => {
    await indexer.refresh();
    return c.redirect('/groups', 303);
  });
}
