import { millis, type ReadRow } from '../db/tables.ts';
import type { KyselySessions } from './sessions.kysely.ts';

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

/** The auth/sessions repository as `AppContext` holds it: its Kysely form (sessions.kysely.ts), SQLite or PostgreSQL. */
export type Sessions = KyselySessions;
