import { millis, type ReadRow } from './db/tables.ts';
import { newId } from './auth/tokens.ts';
import type { SessionUser } from './auth/sessions.ts';
import type { KyselyUsers } from './users.kysely.ts';

export type UserKind = SessionUser['kind'];

export interface UserRecord extends SessionUser {
	passwordHash: string;
	createdAt: Date;
}

export interface UserRow {
	id: string;
	email: string;
	name: string;
	password_hash: string;
	kind: UserKind;
	created_at: number;
}

/** A row as the account record (both forms of the repository). */
export const toUser = (row: ReadRow<UserRow, 'created_at'>): UserRecord => ({
	id: row.id,
	email: row.email,
	name: row.name,
	kind: row.kind,
	passwordHash: row.password_hash,
	createdAt: new Date(millis(row.created_at))
});

/** Normalises an e-mail address for storage and lookup. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** Loose but honest: something@something.tld, no spaces. */
export const isEmail = (email: string): boolean => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email);

/** What a new account is, as its row (both forms of the repository). */
export interface NewUser {
	email: string;
	name: string;
	passwordHash: string;
	kind: UserKind;
}
export const newUserRow = (input: NewUser, at: Date): UserRow => ({
	id: newId(),
	email: normaliseEmail(input.email),
	name: input.name.trim(),
	password_hash: input.passwordHash,
	kind: input.kind,
	created_at: at.getTime()
});

/** The users repository as `AppContext` holds it: its Kysely form (users.kysely.ts), SQLite or PostgreSQL. */
export type Users = KyselyUsers;
