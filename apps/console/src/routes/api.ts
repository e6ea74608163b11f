import { type OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import { browseArchive, OperationsError } from '@warren/operations';
import { bearer, commonProblems, idempotency, NotFoundError, problemResponses, requestIdHeader, UnprocessableError, writeHeaders, writeResponseHeaders } from '@warren/http';
import { scopes, type ConsoleEnv } from '../auth/access.ts';
import type { Activity } from '../activity.ts';
import type { ConsoleDeps } from '../console-deps.ts';
import type { IndexedMessage, ParkedSearch } from '../parked/index-store.ts';
import type { ActionTarget } from '../operator.ts';
import { purgeConfirmation } from '../views/purge.ts';
import {
  actionAccepted,
  actionRequest,
  activityIdParam,
  archivePage,
  archiveQuery,
  archiveReplayRequest,
  activityList,
  activityView,
  groupList,
  groupQuery,
  idParam,
  messageDetail,
  messageList,
  messageQuery,
  editRequest,
  purgeRequest,
  queueList,
  redirectRequest,
} from './api-schemas.ts';
import { messageLinks } from './links.ts';
import { asProblem, EditDisabledError } from './problems.ts';
import { targetSearch } from './target.ts';

const json = <T>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

const read = (config: Omit<RouteConfig, 'method' | 'security'>): RouteConfig => ({ ...config, method: 'get', security: bearer(scopes.read), tags: ['console'] });
const act = (config: Omit<RouteConfig, 'method' | 'security'>): RouteConfig => ({ ...config, method: 'post', security: bearer(scopes.operate), tags: ['console'] });

const routes = {
  groups: read({ path: '/api/v1/groups', operationId: 'listGroups', summary: 'Parked messages grouped by fingerprint, event type, queue or service', request: { query: groupQuery, headers: requestIdHeader }, responses: { 200: json(groupList, 'Groups, largest first'), ...problemResponses(400, ...commonProblems) } }),
  messages: read({ path: '/api/v1/messages', operationId: 'listMessages', summary: 'Parked messages matching the filters, newest failure first', request: { query: messageQuery, headers: requestIdHeader }, responses: { 200: json(messageList, 'Matching messages'), ...problemResponses(400, ...commonProblems) } }),
  message: read({ path: '/api/v1/messages/{id}', operationId: 'getMessage', summary: 'One parked message: every copy, its properties, headers and body, its retries and links', request: { params: idParam, headers: requestIdHeader }, responses: { 200: json(messageDetail, 'The message'), ...problemResponses(404, ...commonProblems) } }),
  retry: act({ path: '/api/v1/retries', operationId: 'retryMessages', summary: 'Retry messages, a selection or a group (same message id; inboxes de-duplicate)', request: { body: { content: { 'application/json': { schema: actionRequest } }, required: true }, headers: writeHeaders }, responses: { 200: json(actionAccepted, 'Dry run: what would be retried'), 202: { ...json(actionAccepted, 'Started; follow it at /api/v1/activities/{activityId}'), headers: writeResponseHeaders }, ...problemResponses(400, 422, ...commonProblems) } }),
  purge: act({ path: '/api/v1/purges', operationId: 'purgeMessages', summary: 'Remove parked messages for good; `confirm` must be their count (or the queue name)', request: { body: { content: { 'application/json': { schema: purgeRequest } }, required: true }, headers: writeHeaders }, responses: { 200: json(actionAccepted, 'Dry run'), 202: { ...json(actionAccepted, 'Started'), headers: writeResponseHeaders }, ...problemResponses(400, 422, ...commonProblems) } }),
  redirect: act({ path: '/api/v1/redirects', operationId: 'redirectMessages', summary: 'Move parked messages, unchanged, to another queue', request: { body: { content: { 'application/json': { schema: redirectRequest } }, required: true }, headers: writeHeaders }, responses: { 200: json(actionAccepted, 'Dry run'), 202: { ...json(actionAccepted, 'Started'), headers: writeResponseHeaders }, ...problemResponses(400, 422, ...commonProblems) } }),
  edit: act({ path: '/api/v1/edits', operationId: 'editAndRetry', summary: 'Replace the data of one parked message and retry it (off unless CONSOLE_ALLOW_EDIT=true); the original is kept in the action record', request: { body: { content: { 'application/json': { schema: editRequest } }, required: true }, headers: writeHeaders }, responses: { 202: { ...json(actionAccepted, 'Sent; the action records both bodies'), headers: writeResponseHeaders }, ...problemResponses(400, 404, 422, ...commonProblems) } }),
  archive: read({ path: '/api/v1/archive', operationId: 'browseArchive', summary: "One page of a producer's archived (published) events", request: { query: archiveQuery, headers: requestIdHeader }, responses: { 200: json(archivePage, 'Events in seq order'), ...problemResponses(400, 409, ...commonProblems) } }),
  archiveReplay: act({ path: '/api/v1/archive/replays', operationId: 'replayArchive', summary: "Re-publish a producer's archived events to one consumer queue (same ids: its inbox drops what it applied)", request: { body: { content: { 'application/json': { schema: archiveReplayRequest } }, required: true }, headers: writeHeaders }, responses: { 200: json(actionAccepted, 'Dry run'), 202: { ...json(actionAccepted, 'Started'), headers: writeResponseHeaders }, ...problemResponses(400, 404, 409, 422, ...commonProblems) } }),
  refresh: act({ path: '/api/v1/index/refresh', operationId: 'refreshIndex', summary: 'Scan every dead-letter queue into the index now', request: { headers: writeHeaders }, responses: { 204: { description: 'The index is current' }, ...problemResponses(400, ...commonProblems) } }),
  activities: read({ path: '/api/v1/activities', operationId: 'listActivities', summary: 'Operator actions, newest first', request: { headers: requestIdHeader }, responses: { 200: json(activityList, 'Actions'), ...problemResponses(...commonProblems) } }),
  activity: read({ path: '/api/v1/activities/{id}', operationId: 'getActivity', summary: 'One action: outcome, progress while it runs, and the follow-up of the messages it retried', request: { params: activityIdParam, headers: requestIdHeader }, responses: { 200: json(activityView, 'The action'), ...problemResponses(404, ...commonProblems) } }),
  queues: read({ path: '/api/v1/queues', operationId: 'listQueues', summary: 'Depth, consumers, message rates and dead letters of every consumer queue, and the publish rate of every service', request: { headers: requestIdHeader }, responses: { 200: json(queueList, 'A sample'), ...problemResponses(...commonProblems) } }),
};

function summary(message: IndexedMessage) {
  return {
    messageId: message.messageId,
    deadLetterQueue: message.deadLetterQueue,
    queue: message.queue,
    service: message.service,
    eventType: message.eventType,
    routingKey: message.routingKey,
    subject: message.subject,
    correlationId: message.correlationId,
    parkedBy: message.parkedBy,
    fingerprint: message.fingerprint,
    error: message.errorSummary,
    attempts: message.attempts,
    replayCount: message.replayCount,
    failedAt: message.failedAt?.toISOString() ?? null,
  };
}

function searchFrom(query: { from?: string | undefined; to?: string | undefined } & Omit<ParkedSearch, 'from' | 'to'>): ParkedSearch {
  return { ...query, from: query.from ? new Date(query.from) : undefined, to: query.to ? new Date(query.to) : undefined };
}

const activityJson = (entry: Activity) => ({ ...entry, at: entry.at.toISOString() });

/** The console's JSON API under `/api/v1`, bearer-authenticated (see `apiAccess`). */
export function registerApiRoutes(app: OpenAPIHono<ConsoleEnv>, deps: ConsoleDeps): void {
  const { store, activity, operator, indexer, queueState, config, db } = deps;
  app.use('/api/v1/*', idempotency({ db, leaseMs: config.IDEMPOTENCY_LEASE_MS }) as never);

  app.openapi(routes.groups, async (c) => {
    const { by, ...query } = c.req.valid('query' as never) as { by: 'fingerprint' } & Record<string, string | undefined>;
    const search = searchFrom(query);
    const groups = await store.groups(by, search);
    return c.json({ by, total: await store.count(search), groups: groups.map((group) => ({ ...group, firstSeen: group.firstSeen?.toISOString() ?? null, lastSeen: group.lastSeen?.toISOString() ?? null })) }, 200);
  });

  app.openapi(routes.messages, async (c) => {
    const { limit, ...query } = c.req.valid('query' as never) as { limit: number } & Record<string, string | undefined>;
    const search = searchFrom(query);
    return c.json({ total: await store.count(search), items: (await store.search({ ...search, limit })).map(summary) }, 200);
  });

  app.openapi(routes.message, async (c) => {
    const { id } = c.req.valid('param' as never) as { id: string };
    const [copies, replays] = await Promise.all([store.byMessageId(id), activity.replaysOfMessage(id)]);
    if (copies.length === 0 && replays.length === 0) throw new NotFoundError(`No parked message has the id ${id}.`);
    return c.json(
      {
        messageId: id,
        copies: copies.map((copy) => ({ ...summary(copy), properties: copy.properties, body: copy.body })),
        replays: replays.map((replay) => ({ ...replay, replayedAt: replay.replayedAt.toISOString() })),
        links: messageLinks(config, copies[0]),
      },
      200,
    );
  });

  const accepted = (result: { activityId: number; dryRun?: { matched: { messageId: string; queue: string; replayCount: number }[] } }) =>
    result.dryRun ? ({ body: { activityId: result.activityId, dryRun: true, matched: result.dryRun.matched }, status: 200 } as const) : ({ body: { activityId: result.activityId, dryRun: false }, status: 202 } as const);

  app.openapi(routes.retry, async (c) => {
    const { dryRun, ...target } = c.req.valid('json' as never) as ActionTarget & { dryRun: boolean };
    const { body, status } = accepted(await operator.retry({ actor: c.get('caller'), target, dryRun }));
    return c.json(body, status);
  });

  app.openapi(routes.purge, async (c) => {
    const { dryRun, confirm, ...target } = c.req.valid('json' as never) as ActionTarget & { dryRun: boolean; confirm?: string };
    let count = 0;
    for (const search of targetSearch(target)) count += await store.count(search);
    if (!dryRun && confirm !== purgeConfirmation(target, count)) {
      throw new UnprocessableError(`Confirm the purge with confirm: "${purgeConfirmation(target, count)}" (the number of messages it covers, or the queue).`, { code: 'purge_not_confirmed' });
    }
    const { body, status } = accepted(await operator.purge({ actor: c.get('caller'), target, dryRun }));
    return c.json(body, status);
  });

  app.openapi(routes.redirect, async (c) => {
    const { dryRun, to, ...target } = c.req.valid('json' as never) as ActionTarget & { dryRun: boolean; to: string };
    const { body, status } = accepted(await operator.redirect({ actor: c.get('caller'), target, dryRun, to }));
    return c.json(body, status);
  });

  app.openapi(routes.edit, async (c) => {
    if (!config.CONSOLE_ALLOW_EDIT) throw new EditDisabledError();
    const { deadLetterQueue, messageId, data } = c.req.valid('json' as never) as { deadLetterQueue: string; messageId: string; data: unknown };
    try {
      const { activityId } = await operator.edit({ actor: c.get('caller'), deadLetterQueue, messageId, data });
      return c.json({ activityId, dryRun: false }, 202);
    } catch (error) {
      throw asProblem(error);
    }
  });

  app.openapi(routes.archive, async (c) => {
    const { service, type, subject, since, until, after, limit } = c.req.valid('query' as never) as { service: string; type?: string; subject?: string; since: string; until: string; after?: number; limit: number };
    const sql = deps.archives.sqlOf(service);
    if (!sql) throw asProblem(new OperationsError('refused', `the console reads no archive of ${service} (CONSOLE_ARCHIVE_DATABASE_URLS)`));
    const page = await browseArchive(sql, { ...(type ? { type } : {}), ...(subject ? { subject } : {}), since: new Date(since), until: new Date(until) }, { ...(after === undefined ? {} : { after }), limit });
    return c.json(
      {
        total: page.total,
        next: page.next ?? null,
        events: page.events.map((event) => ({ seq: event.seq, id: event.message.envelope.id, routingKey: event.message.routingKey, subject: event.message.envelope.subject, publishedAt: event.publishedAt.toISOString() })),
      },
      200,
    );
  });

  app.openapi(routes.archiveReplay, async (c) => {
    const { service, queue, type, subject, since, until, ids, dryRun } = c.req.valid('json' as never) as { service: string; queue: string; type?: string; subject?: string; since: string; until: string; ids?: string[]; dryRun: boolean };
    try {
      const selection = { ...(type ? { type } : {}), ...(subject ? { subject } : {}), since: new Date(since), until: new Date(until) };
      const { body, status } = accepted(await operator.archiveReplay({ actor: c.get('caller'), service, queue, selection, ids, dryRun }));
      return c.json(body, status);
    } catch (error) {
      throw asProblem(error);
    }
  });

  app.openapi(routes.refresh, async (c) => {
    await indexer.refresh();
    return c.body(null, 204);
  });

  app.openapi(routes.activities, async (c) => c.json({ items: (await activity.list({ limit: 200 })).map(activityJson) }, 200));

  app.openapi(routes.activity, async (c) => {
    const { id } = c.req.valid('param' as never) as { id: number };
    const entry = await activity.get(id);
    if (!entry) throw new NotFoundError('No such action.');
    return c.json({ ...activityJson(entry), progress: operator.progress(id) ?? null, replays: await activity.replaysOf(id) }, 200);
  });

  app.openapi(routes.queues, async (c) => {
    const { at, queues, outboxes, services } = await queueState.sample();
    return c.json({ at: at.toISOString(), queues, services, outboxes: outboxes.map((outbox) => ('failures' in outbox ? { service: outbox.service, pending: outbox.pending, oldestPendingMs: outbox.oldestPendingMs, publishedLastMinute: outbox.publishedLastMinute, failing: outbox.failing } : outbox)) }, 200);
  });
}
