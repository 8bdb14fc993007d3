/**
 * The sessions owner (issue 12 item 2), what `AppContext` holds: every method async, the records of
 * sessions.ts, written once with Kysely for SQLite and PostgreSQL.
 * sessions.spec.ts holds it to its contract on both.
 */
import { guarded, type Executor } from '../db/repository.ts';
import { millis } from '../db/tables.ts';
import type { Users } from '../users.ts';
import {
	RENEW_WITHIN_MS,
	SESSION_LIFETIME_MS,
	type Session,
	type SessionValidation,
	toSession
} from './sessions.ts';
import { generateToken, hashToken } from './tokens.ts';

const columns = ['id', 'user_id', 'created_at', 'expires_at', 'user_agent'] as const;

export function createKyselySessions(
	db: Executor,
	users: Pick<Users, 'byId'>,
	now: () => Date = () => new Date()
) {
	const sessions = {
		/** Creates a session for `userId`; returns the token for the cookie (shown only now). */
		async create(userId: string, userAgent = ''): Promise<{ token: string; session: Session }> {
			const token = generateToken();
			const created = now().getTime();
			const row = {
				id: hashToken(token),
				user_id: userId,
				created_at: created,
				expires_at: created + SESSION_LIFETIME_MS,
				user_agent: userAgent.slice(0, 300)
			};
			await db.insertInto('sessions').values(row).execute();
			return { token, session: toSession(row) };
		},

		/** As `Sessions.validate`: expired sessions are deleted, the second half of a life slides. */
		async validate(token: string): Promise<SessionValidation | null> {
			const id = hashToken(token);
			const row = await db
				.selectFrom('sessions')
				.select(columns)
				.where('id', '=', id)
				.executeTakeFirst();
			const user = row ? await users.byId(row.user_id) : null;
			if (!row || !user) return null;
			const at = now().getTime();
			let expires = millis(row.expires_at);
			if (at >= expires) {
				await db.deleteFrom('sessions').where('id', '=', id).execute();
				return null;
			}
			let renewed = false;
			if (expires - at < RENEW_WITHIN_MS) {
				expires = at + SESSION_LIFETIME_MS;
				await db
					.updateTable('sessions')
					.set({ expires_at: expires })
					.where('id', '=', id)
					.execute();
				renewed = true;
			}
			return {
				session: toSession({ ...row, expires_at: expires }),
				user: { id: user.id, email: user.email, name: user.name, kind: user.kind },
				renewed
			};
		},

		/** Ends one session (log out). */
		async invalidate(sessionId: string): Promise<void> {
			await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
		},

		/** Ends every session of a user (log out everywhere, after a password change or reset). */
		async invalidateAll(userId: string, except?: string): Promise<void> {
			let query = db.deleteFrom('sessions').where('user_id', '=', userId);
			if (except) query = query.where('id', '!=', except);
			await query.execute();
		},

		/** The user's live sessions, newest first. */
		async list(userId: string): Promise<Session[]> {
			const rows = await db
				.selectFrom('sessions')
				.select(columns)
				.where('user_id', '=', userId)
				.where('expires_at', '>', now().getTime())
				.orderBy('created_at', 'desc')
				.execute();
			return rows.map(toSession);
		}
	};
	return guarded('sessions', sessions);
}

export type KyselySessions = ReturnType<typeof createKyselySessions>;
