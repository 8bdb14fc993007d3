import type { Db } from './db/open.ts';
import { millis, type ReadRow } from './db/tables.ts';
import { newId } from './auth/tokens.ts';
import type { SessionUser } from './auth/sessions.ts';

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

/** Account storage. Password hashing happens in the caller (auth/passwords.ts). */
export function createUsers(db: Db, now: () => Date = () => new Date()) {
	return {
		count(): number {
			return (db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
		},
		byEmail(email: string): UserRecord | null {
			const row = db.prepare('SELECT * FROM users WHERE email = ?').get(normaliseEmail(email)) as
				UserRow | undefined;
			return row ? toUser(row) : null;
		},
		byId(id: string): UserRecord | null {
			const row = db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
			return row ? toUser(row) : null;
		},
		/** @throws `Error('email-taken')` when the address already has an account. */
		create(input: NewUser): UserRecord {
			const row = newUserRow(input, now());
			try {
				db.prepare(
					'INSERT INTO users (id, email, name, password_hash, kind, created_at) VALUES (@id, @email, @name, @password_hash, @kind, @created_at)'
				).run(row);
			} catch (error) {
				if (String(error).includes('UNIQUE')) throw new Error('email-taken', { cause: error });
				throw error;
			}
			return toUser(row);
		},
		setPassword(userId: string, passwordHash: string): void {
			db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, userId);
		},
		/** An observer invited as co-facilitator becomes a facilitator; never the other way round. */
		promoteToFacilitator(userId: string): void {
			db.prepare("UPDATE users SET kind = 'facilitator' WHERE id = ?").run(userId);
		}
	};
}

export type Users = ReturnType<typeof createUsers>;
