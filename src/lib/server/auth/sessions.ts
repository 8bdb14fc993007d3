import type { Db } from '../db/open.ts';
import { millis, type ReadRow } from '../db/tables.ts';
import { generateToken, hashToken } from './tokens.ts';
import type { Users } from '../users.ts';

/** Lucia's session design: the cookie holds a random token, the database only its SHA-256. */
export const SESSION_COOKIE = 'kompas_session';
export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
/** A session used within this much of its expiry is extended to a full lifetime again. */
export const RENEW_WITHIN_MS = 15 * 24 * 60 * 60 * 1000;

export interface Session {
	id: string;
	userId: string;
	createdAt: Date;
	expiresAt: Date;
	userAgent: string;
}

export interface SessionUser {
	id: string;
	email: string;
	name: string;
	kind: 'facilitator' | 'observer';
}

export interface SessionValidation {
	session: Session;
	user: SessionUser;
	/** The expiry moved: the caller should set the cookie again. */
	renewed: boolean;
}

export interface SessionRow {
	id: string;
	user_id: string;
	created_at: number;
	expires_at: number;
	user_agent: string;
}

/** A row as the session record (both forms of the repository). */
export const toSession = (row: ReadRow<SessionRow, 'created_at' | 'expires_at'>): Session => ({
	id: row.id,
	userId: row.user_id,
	createdAt: new Date(millis(row.created_at)),
	expiresAt: new Date(millis(row.expires_at)),
	userAgent: row.user_agent
});

/**
 * Session storage and validation (table `sessions`), with the clock injected so that tests can move
 * time. The account behind a session comes from the user repository.
 */
export function createSessions(
	db: Db,
	users: Pick<Users, 'byId'>,
	now: () => Date = () => new Date()
) {
	return {
		/** Creates a session for `userId`; returns the token for the cookie (shown only now). */
		create(userId: string, userAgent = ''): { token: string; session: Session } {
			const token = generateToken();
			const created = now().getTime();
			const row: SessionRow = {
				id: hashToken(token),
				user_id: userId,
				created_at: created,
				expires_at: created + SESSION_LIFETIME_MS,
				user_agent: userAgent.slice(0, 300)
			};
			db.prepare(
				'INSERT INTO sessions (id, user_id, created_at, expires_at, user_agent) VALUES (@id, @user_id, @created_at, @expires_at, @user_agent)'
			).run(row);
			return { token, session: toSession(row) };
		},

		/**
		 * Looks up the session for a cookie token. Expired sessions are deleted and give null; a
		 * session in the second half of its life is extended (sliding expiry).
		 */
		validate(token: string): SessionValidation | null {
			const id = hashToken(token);
			const row = db
				.prepare(
					'SELECT id, user_id, created_at, expires_at, user_agent FROM sessions WHERE id = ?'
				)
				.get(id) as SessionRow | undefined;
			const user = row ? users.byId(row.user_id) : null;
			if (!row || !user) return null;
			const at = now().getTime();
			if (at >= row.expires_at) {
				db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
				return null;
			}
			let renewed = false;
			if (row.expires_at - at < RENEW_WITHIN_MS) {
				row.expires_at = at + SESSION_LIFETIME_MS;
				db.prepare('UPDATE sessions SET expires_at = ? WHERE id = ?').run(row.expires_at, id);
				renewed = true;
			}
			return {
				session: toSession(row),
				user: { id: user.id, email: user.email, name: user.name, kind: user.kind },
				renewed
			};
		},

		/** Ends one session (log out). */
		invalidate(sessionId: string): void {
			db.prepare('DELETE FROM sessions WHERE id = ?').run(sessionId);
		},

		/** Ends every session of a user (log out everywhere, after a password change or reset). */
		invalidateAll(userId: string, except?: string): void {
			if (except)
				db.prepare('DELETE FROM sessions WHERE user_id = ? AND id != ?').run(userId, except);
			else db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
		},

		/** The user's live sessions, newest first. */
		list(userId: string): Session[] {
			const rows = db
				.prepare(
					'SELECT * FROM sessions WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC'
				)
				.all(userId, now().getTime()) as SessionRow[];
			return rows.map(toSession);
		}
	};
}

export type Sessions = ReturnType<typeof createSessions>;
