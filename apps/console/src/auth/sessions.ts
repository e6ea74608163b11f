import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq, lt } from 'drizzle-orm';
import type { Database } from '@warren/outbox';
import { sessions } from '../db/schema.ts';

/** A signed-in operator in the browser. */
export interface Session {
  subject: string;
  name: string | null;
  scopes: ReadonlySet<string>;
  /** Sent back with every form and htmx request; bound to this session. */
  csrfToken: string;
  idToken: string | null;
  expiresAt: Date;
}

const hash = (id: string) => createHash('sha256').update(id).digest('base64url');

/**
 * Server-side sessions: the cookie carries only a random id, the database keeps its hash with
 * the subject, scopes, CSRF token and ID token (the access token is not kept: scopes are read
 * from it once, at login). Expired sessions are never returned and are pruned by `prune`.
 */
export interface SessionStore {
  /** Creates a session; returns the id for the cookie. */
  create(entry: { subject: string; name?: string | undefined; scopes: Iterable<string>; idToken?: string | undefined; ttlMs: number }): Promise<string>;
  get(id: string | undefined): Promise<Session | undefined>;
  delete(id: string | undefined): Promise<void>;
  prune(now?: Date): Promise<void>;
}

export function createSessionStore(db: Database): SessionStore {
  return {
    async create({ subject, name, scopes, idToken, ttlMs }) {
      const id = randomBytes(32).toString('base64url');
      await db.insert(sessions).values({
        idHash: hash(id),
        subject,
        name: name ?? null,
        scopes: [...scopes].join(' '),
        csrfToken: randomBytes(32).toString('base64url'),
        idToken: idToken ?? null,
        expiresAt: new Date(Date.now() + ttlMs),
      });
      return id;
    },
    async get(id) {
      if (!id || id.length > 100) return undefined;
      const [row] = await db.select().from(sessions).where(eq(sessions.idHash, hash(id)));
      if (!row || row.expiresAt.getTime() <= Date.now()) return undefined;
      return { subject: row.subject, name: row.name, scopes: new Set(row.scopes.split(' ').filter(Boolean)), csrfToken: row.csrfToken, idToken: row.idToken, expiresAt: row.expiresAt };
    },
    async delete(id) {
      if (id) await db.delete(sessions).where(eq(sessions.idHash, hash(id)));
    },
    async prune(now = new Date()) {
      await db.delete(sessions).where(lt(sessions.expiresAt, now));
    },
  };
}

/** Compares a submitted CSRF token with the session's in constant time. */
export function csrfTokenMatches(session: Session, submitted: string | undefined): boolean {
  if (!submitted) return false;
  const expected = Buffer.from(session.csrfToken);
  const given = Buffer.from(submitted);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
