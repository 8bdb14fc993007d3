/**
 * What every Kysely repository (`*.kysely.ts`, issue 12 item 2) shares: the executor it runs on, the
 * unit of work, unreachable PostgreSQL as `StorageUnavailableError`, and the unique-key violation
 * of both dialects.
 *
 * A Kysely repository is written once against `Kysely<Database>` and runs on SQLite (kysely-sqlite.ts
 * over the app's connection) and on PostgreSQL (postgres.ts). Its methods that take part in a unit
 * of work take the transaction `tx` they run in (from `kyselyUnitOfWork(db)(async (tx) => …)`), as
 * `AsyncUpdateStore` does; without one they run on their own.
 */
import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';
import { rethrow } from '../updates/store.postgres.ts';
import { postgresUnitOfWork } from './postgres.ts';

/** The database or an open transaction, on either dialect. */
export type Executor = Kysely<Database>;

/**
 * The unit of work on a Kysely database of either dialect (the same as `postgresUnitOfWork`): `work`
 * gets the transaction; all commits or none does. On SQLite, Kysely runs one transaction at a time
 * on its one connection, so an `await` inside cannot let another caller's statements in.
 */
export const kyselyUnitOfWork: (
	db: Executor
) => <T>(work: (tx: Executor) => Promise<T>) => Promise<T> = postgresUnitOfWork;

/**
 * `methods` (and the methods of the objects in it: `themes`, `members`) with every rejection that
 * means PostgreSQL is unreachable turned into `StorageUnavailableError` ("try again later", not a
 * bug); other errors pass unchanged.
 */
export function guarded<T extends object>(what: string, methods: T): T {
	return Object.fromEntries(
		Object.entries(methods).map(([key, value]) => [
			key,
			typeof value === 'function'
				? (...args: unknown[]) =>
						(value as (...args: unknown[]) => Promise<unknown>)(...args).catch((error: unknown) =>
							rethrow(`${what} ${key}`, error)
						)
				: value !== null && typeof value === 'object'
					? guarded(`${what} ${key}`, value)
					: value
		])
	) as T;
}

/** Whether `error` is a unique-key violation (SQLite's UNIQUE constraint, PostgreSQL's 23505). */
export function isUniqueViolation(error: unknown): boolean {
	if ((error as { code?: unknown } | null)?.code === '23505') return true;
	return /UNIQUE constraint failed/i.test(String(error));
}
