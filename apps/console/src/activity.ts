import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Database } from '@warren/outbox';
import { activities, replays } from './db/schema.ts';

export type ActionName = 'retry' | 'purge' | 'redirect' | 'edit-retry' | 'archive-replay' | 'rescan';

/** One operator action as the activity view shows it. */
export interface Activity {
  id: number;
  at: Date;
  actor: string;
  action: string;
  target: string;
  dryRun: boolean;
  outcome: string;
  detail: Record<string, unknown>;
}

export interface ReplayFollowUp {
  messageId: string;
  deadLetterQueue: string;
  replayCount: number;
  status: 'pending' | 'applied' | 'failed-again';
}

/** The record of who did what, and the retries it follows until their outcome is known. */
export interface ActivityLog {
  /** Records an action as started; `finish` sets its outcome. Returns its id. */
  start(entry: { actor: string; action: ActionName; target: string; dryRun: boolean; detail?: Record<string, unknown> }): Promise<number>;
  finish(id: number, outcome: string, detail?: Record<string, unknown>): Promise<void>;
  list(options?: { limit?: number; actor?: string }): Promise<Activity[]>;
  get(id: number): Promise<Activity | undefined>;
  /** Notes messages a retry sent back, to follow them (`settleReplays`). */
  followReplays(activityId: number, sent: readonly { messageId: string; deadLetterQueue: string; replayCount: number }[], at?: Date): Promise<void>;
  replaysOf(activityId: number): Promise<ReplayFollowUp[]>;
  replaysOfMessage(messageId: string): Promise<(ReplayFollowUp & { activityId: number; replayedAt: Date })[]>;
  /**
   * Settles pending replays against the current index: a message back in a dead-letter queue
   * with at least its replay count failed again; one absent from every dead-letter queue once
   * `windowMs` has passed since it was sent is taken as applied.
   */
  settleReplays(parked: (messageId: string) => Promise<number[]>, windowMs: number, now?: Date): Promise<void>;
}

export function createActivityLog(db: Database): ActivityLog {
  const toActivity = (row: typeof activities.$inferSelect): Activity => ({ ...row, detail: row.detail as Record<string, unknown> });
  const toFollowUp = (row: typeof replays.$inferSelect) => ({
    messageId: row.messageId,
    deadLetterQueue: row.deadLetterQueue,
    replayCount: row.replayCount,
    status: row.status as ReplayFollowUp['status'],
    activityId: row.activityId,
    replayedAt: row.replayedAt,
  });
  return {
    async start({ actor, action, target, dryRun, detail = {} }) {
      const [row] = await db.insert(activities).values({ actor, action, target, dryRun, outcome: 'running', detail }).returning({ id: activities.id });
      if (!row) throw new Error('cannot record the action');
      return row.id;
    },
    async finish(id, outcome, detail) {
      await db
        .update(activities)
        .set(detail ? { outcome, detail: sql`${activities.detail} || ${JSON.stringify(detail)}::jsonb` } : { outcome })
        .where(eq(activities.id, id));
    },
    async list({ limit = 100, actor } = {}) {
      const rows = await db.select().from(activities).where(actor ? eq(activities.actor, actor) : undefined).orderBy(desc(activities.id)).limit(limit);
      return rows.map(toActivity);
    },
    async get(id) {
      const [row] = await db.select().from(activities).where(eq(activities.id, id));
      return row ? toActivity(row) : undefined;
    },
    async followReplays(activityId, sent, at = new Date()) {
      if (sent.length === 0) return;
      await db.insert(replays).values(sent.map((entry) => ({ activityId, ...entry, replayedAt: at })));
    },
    async replaysOf(activityId) {
      return (await db.select().from(replays).where(eq(replays.activityId, activityId)).orderBy(replays.id)).map(toFollowUp);
    },
    async replaysOfMessage(messageId) {
      return (await db.select().from(replays).where(eq(replays.messageId, messageId)).orderBy(replays.id)).map(toFollowUp);
    },
    async settleReplays(parked, windowMs, now = new Date()) {
      const pending = await db.select().from(replays).where(eq(replays.status, 'pending'));
      const failed: number[] = [];
      const applied: number[] = [];
      for (const replay of pending) {
        const counts = await parked(replay.messageId);
        if (counts.some((replayCount) => replayCount >= replay.replayCount)) failed.push(replay.id);
        else if (counts.length === 0 && now.getTime() - replay.replayedAt.getTime() >= windowMs) applied.push(replay.id);
      }
      if (failed.length > 0) await db.update(replays).set({ status: 'failed-again', settledAt: now }).where(inArray(replays.id, failed));
      if (applied.length > 0) {
        await db
          .update(replays)
          .set({ status: 'applied', settledAt: now })
          .where(and(inArray(replays.id, applied), lt(replays.replayedAt, new Date(now.getTime() - windowMs + 1))));
      }
    },
  };
}
