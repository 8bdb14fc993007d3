/**
 * What every Kysely repository (`*.kysely.ts`, issue 12 item 2) shares: the executor it runs on, the
 * synchronous repositories lifted to the async form, unreachable PostgreSQL as
 * `StorageUnavailableError`, and the unique-key violation of both dialects.
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

/** A repository's async form: every method returns a promise (nested repositories too). */
export type Lifted<T> = {
	[K in keyof T]: T[K] extends (...args: infer A) => infer R
		? (...args: A) => Promise<Awaited<R>>
		: T[K] extends object
			? Lifted<T[K]>
			: T[K];
};

/**
 * A synchronous repository as its async form: each method runs at the call, its result resolves
 * and its throw rejects. For the contract specs, and for callers that switch to the async form
 * before the SQLite repository is replaced by its Kysely form.
 */
export function lift<T extends object>(repo: T): Lifted<T> {
	return Object.fromEntries(
		Object.entries(repo).map(([key, value]) => [
			key,
			typeof value === 'function'
				? async (...args: unknown[]) => (value as (...args: unknown[]) => unknown)(...args)
				: value !== null && typeof value === 'object'
					? lift(value)
					: value
		])
	) as Lifted<T>;
}

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
