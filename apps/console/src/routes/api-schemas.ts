import { z } from '@hono/zod-openapi';

const text = (description: string) => z.string().min(1).max(200).optional().openapi({ description });

/** Filters of the index, shared by the group and message lists. */
export const searchQuery = z.object({
  messageId: text('The message id (AMQP messageId, the envelope id).'),
  correlationId: text('The correlation id.'),
  subject: text("The envelope's subject (aggregate id)."),
  eventType: text('An event type (item.created) or routing key (item.created.v1).'),
  queue: text('The queue it failed in, or its dead-letter queue.'),
  service: text('The consuming service.'),
  fingerprint: text('The fingerprint of the failure.'),
  text: text('Case-insensitive text in the error or the body.'),
  from: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Failed at or after.' }),
  to: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Failed at or before.' }),
});

export const groupQuery = searchQuery.extend({
  by: z.enum(['fingerprint', 'eventType', 'queue', 'service']).default('fingerprint').openapi({ description: 'What to group by.' }),
});

export const messageQuery = searchQuery.extend({ limit: z.coerce.number().int().min(1).max(1_000).default(100) });

const when = z.string().nullable().openapi({ description: 'ISO-8601.', example: '2026-11-28T23:00:00.000Z' });

export const groupList = z
  .object({
    by: z.string(),
    total: z.number().int(),
    groups: z.array(z.object({ key: z.string(), example: z.string(), count: z.number().int(), firstSeen: when, lastSeen: when })),
  })
  .openapi('ParkedGroups');

export const parkedSummary = z
  .object({
    messageId: z.string(),
    deadLetterQueue: z.string(),
    queue: z.string(),
    service: z.string(),
    eventType: z.string().nullable(),
    routingKey: z.string().nullable(),
    subject: z.string().nullable(),
    correlationId: z.string().nullable(),
    parkedBy: z.enum(['warren', 'broker']),
    fingerprint: z.string(),
    error: z.string(),
    attempts: z.number().int().nullable(),
    replayCount: z.number().int(),
    failedAt: when,
  })
  .openapi('ParkedMessage');

export const messageList = z.object({ total: z.number().int(), items: z.array(parkedSummary) }).openapi('ParkedMessages');

const followUp = z.object({ messageId: z.string(), deadLetterQueue: z.string(), replayCount: z.number().int(), status: z.enum(['pending', 'applied', 'failed-again']) });

export const messageDetail = z
  .object({
    messageId: z.string(),
    copies: z.array(parkedSummary.extend({ properties: z.record(z.string(), z.unknown()), body: z.string() })),
    replays: z.array(followUp.extend({ activityId: z.number().int(), replayedAt: z.string() })),
    links: z.object({ traceId: z.string().optional(), trace: z.string().optional(), logs: z.string().optional() }),
  })
  .openapi('ParkedMessageDetail');

export const actionRequest = z
  .object({
    messageIds: z.array(z.string().min(1).max(200)).max(10_000).optional(),
    fingerprint: z.string().min(1).max(64).optional(),
    deadLetterQueue: z.string().min(1).max(255).optional(),
    dryRun: z.boolean().default(false),
  })
  .refine((body) => Boolean(body.messageIds?.length || body.fingerprint || body.deadLetterQueue), { message: 'name messageIds, a fingerprint or a deadLetterQueue' })
  .openapi('ActionRequest');

export const purgeRequest = z
  .object({
    messageIds: z.array(z.string().min(1).max(200)).max(10_000).optional(),
    fingerprint: z.string().min(1).max(64).optional(),
    deadLetterQueue: z.string().min(1).max(255).optional(),
    dryRun: z.boolean().default(false),
    confirm: z.string().max(255).optional().openapi({ description: 'The number of messages the purge covers, or the dead-letter queue when it purges one whole queue. Required unless dryRun.' }),
  })
  .refine((body) => Boolean(body.messageIds?.length || body.fingerprint || body.deadLetterQueue), { message: 'name messageIds, a fingerprint or a deadLetterQueue' })
  .openapi('PurgeRequest');

export const redirectRequest = z
  .object({
    messageIds: z.array(z.string().min(1).max(200)).max(10_000).optional(),
    fingerprint: z.string().min(1).max(64).optional(),
    deadLetterQueue: z.string().min(1).max(255).optional(),
    dryRun: z.boolean().default(false),
    to: z.string().min(1).max(255),
  })
  .refine((body) => Boolean(body.messageIds?.length || body.fingerprint || body.deadLetterQueue), { message: 'name messageIds, a fingerprint or a deadLetterQueue' })
  .openapi('RedirectRequest');

export const editRequest = z
  .object({
    deadLetterQueue: z.string().min(1).max(255),
    messageId: z.string().min(1).max(200),
    data: z.unknown().openapi({ description: "The event's new `data`, validated against its contract (type and version of the envelope) before anything is sent." }),
  })
  .openapi('EditRequest');

export const actionAccepted = z
  .object({
    activityId: z.number().int(),
    dryRun: z.boolean(),
    matched: z.array(z.object({ messageId: z.string(), queue: z.string(), replayCount: z.number().int() })).optional(),
  })
  .openapi('ActionAccepted');

export const activityView = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    target: z.string(),
    dryRun: z.boolean(),
    outcome: z.string(),
    detail: z.record(z.string(), z.unknown()),
    progress: z.object({ done: z.number().int(), total: z.number().int(), failed: z.number().int() }).nullable(),
    replays: z.array(followUp),
  })
  .openapi('Activity');

export const activityList = z.object({ items: z.array(activityView.omit({ progress: true, replays: true })) }).openapi('ActivityList');

export const queueList = z
  .object({
    at: z.string(),
    queues: z.array(
      z.object({
        queue: z.string(),
        depth: z.number().int().nullable(),
        consumers: z.number().int().nullable(),
        deadLetters: z.number().int().nullable(),
        depthRate: z.number().nullable().describe('Change of depth per second since the previous sample'),
        delivered: z.number().nullable().describe('Deliveries per second (every result) since the previous sample'),
        acked: z.number().nullable().describe('Acks per second (applied, duplicate, dead_lettered) since the previous sample'),
        retried: z.number().nullable().describe('Deliveries sent to a delay queue per second'),
        deadLettered: z.number().nullable().describe('Deliveries dead-lettered per second'),
        ratesError: z.string().nullable().describe('Why the message rates are missing: "unreachable" (the consuming service did not answer) or "not measured"'),
      }),
    ),
    services: z.array(
      z.object({
        service: z.string(),
        published: z.number().nullable().describe('Events published per second by its relay since the previous sample'),
        error: z.string().nullable().describe('"unreachable" when its /metrics did not answer'),
      }),
    ),
    outboxes: z.array(
      z.object({
        service: z.string(),
        pending: z.number().int().optional(),
        oldestPendingMs: z.number().nullable().optional(),
        publishedLastMinute: z.number().int().optional(),
        failing: z.number().int().optional(),
        error: z.string().optional(),
      }),
    ),
  })
  .openapi('QueueState');

export const idParam = z.object({ id: z.string().min(1).max(200).openapi({ param: { in: 'path', name: 'id' } }) });
export const activityIdParam = z.object({ id: z.coerce.number().int().min(1).openapi({ param: { in: 'path', name: 'id' } }) });

const archiveFilter = {
  service: z.string().min(1).max(60).openapi({ description: 'The producing service whose archive to read (catalog, inventory).' }),
  type: z.string().min(1).max(200).optional().openapi({ description: 'An event type (every version) or a routing key.' }),
  subject: z.string().min(1).max(200).optional(),
  since: z.iso.datetime({ offset: true }).openapi({ description: 'First publication time included.' }),
  until: z.iso.datetime({ offset: true }).openapi({ description: 'Publication time excluded from then on.' }),
};

export const archiveQuery = z.object({
  ...archiveFilter,
  after: z.coerce.number().int().min(0).optional().openapi({ description: 'The `next` of the previous page.' }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const archivePage = z
  .object({
    total: z.number().int(),
    next: z.number().int().nullable(),
    events: z.array(z.object({ seq: z.number().int(), id: z.string(), routingKey: z.string(), subject: z.string(), publishedAt: z.string() })),
  })
  .openapi('ArchivePage');

export const archiveReplayRequest = z
  .object({
    ...archiveFilter,
    queue: z.string().min(1).max(255).openapi({ description: 'The one consumer queue to publish to.' }),
    ids: z.array(z.string().min(1).max(200)).max(10_000).optional().openapi({ description: 'Only these event ids of the selection.' }),
    dryRun: z.boolean().default(false),
  })
  .openapi('ArchiveReplayRequest');
