/**
 * The users owner (issue 12 item 2), what `AppContext` holds: every method async, the records of users.ts, written once with Kysely, so the same code runs on SQLite and PostgreSQL. users.spec.ts
 * holds it to its contract on both.
 */
import { PostgresAdapter, sql } from 'kysely';
import { guarded, isUniqueViolation, type Executor } from './db/repository.ts';
import { newUserRow, normaliseEmail, toUser, type NewUser, type UserRecord } from './users.ts';

const columns = ['id', 'email', 'name', 'password_hash', 'kind', 'created_at'] as const;

export function createKyselyUsers(db: Executor, now: () => Date = () => new Date()) {
	const users = {
		/**
		 * The number of accounts, in `tx` when given. With `lock` (inside a unit of work) other
		 * accounts are created only after that unit ends, so of two first visitors one becomes the
		 * first account (PostgreSQL; on SQLite a unit of work is alone on its connection anyway).
		 */
		async count(tx: Executor = db, lock = false): Promise<number> {
			if (lock && tx.getExecutor().adapter instanceof PostgresAdapter)
				await sql`lock table users in share row exclusive mode`.execute(tx);
			const { n } = await tx
				.selectFrom('users')
				.select((eb) => eb.fn.countAll<number | string>().as('n'))
				.executeTakeFirstOrThrow();
			return Number(n);
		},
		async byEmail(email: string): Promise<UserRecord | null> {
			// lower(email): PostgreSQL's unique index is on it (addresses are stored lower-cased).
			const row = await db
				.selectFrom('users')
				.select(columns)
				.where(sql<string>`lower(email)`, '=', normaliseEmail(email))
				.executeTakeFirst();
			return row ? toUser(row) : null;
		},
		async byId(id: string): Promise<UserRecord | null> {
			const row = await db
				.selectFrom('users')
				.select(columns)
				.where('id', '=', id)
				.executeTakeFirst();
			return row ? toUser(row) : null;
		},
		/** @throws `Error('email-taken')` when the address already has an account. */
		async create(input: NewUser, tx: Executor = db): Promise<UserRecord> {
			const row = newUserRow(input, now());
			try {
				await tx.insertInto('users').values(row).execute();
			} catch (error) {
				if (isUniqueViolation(error)) throw new Error('email-taken', { cause: error });
				throw error;
			}
			return toUser(row);
		},
		async setPassword(userId: string, passwordHash: string): Promise<void> {
			await db
				.updateTable('users')
				.set({ password_hash: passwordHash })
				.where('id', '=', userId)
				.execute();
		},
		/** An observer invited as co-facilitator becomes a facilitator; never the other way round. */
		async promoteToFacilitator(userId: string, tx: Executor = db): Promise<void> {
			await tx.updateTable('users').set({ kind: 'facilitator' }).where('id', '=', userId).execute();
		}
	};
	return guarded('users', users);
}

export type KyselyUsers = ReturnType<typeof createKyselyUsers>;
