/**
 * Kysely on the app's SQLite connection: its `SqliteDialect` over the `SqliteDatabase` of
 * driver.ts, so it runs on node:sqlite and on better-sqlite3 alike. For what needs Kysely's async
 * API on SQLite: its `Migrator` taking over the one migration history once `createDb` is async
 * (ARCHITECTURE.md, "One migration history"), and the async repositories of issue 12 item 2.
 *
 * - The statement's `reader` flag (better-sqlite3 has one, node:sqlite does not) comes from the
 *   SQL: a SELECT, PRAGMA, VALUES or EXPLAIN, a WITH that only reads, or anything with RETURNING.
 * - `iterate` reads all rows of the statement first (Kysely's `stream()`); neither driver's
 *   iterator is needed by Kompas yet.
 * - Destroying the Kysely instance does not close the connection: its owner (`AppContext.close`)
 *   does.
 */
import {
	Kysely,
	SqliteDialect,
	type SqliteDatabase as KyselySqliteDatabase,
	type SqliteStatement as KyselySqliteStatement
} from 'kysely';
import type { SqlValue, SqliteDatabase } from './driver.ts';

/** Whether `sql` returns rows (so Kysely calls `all`, else `run`). */
export function returnsRows(sql: string): boolean {
	if (/\breturning\b/i.test(sql)) return true;
	if (/^\s*(select|pragma|values|explain)\b/i.test(sql)) return true;
	return /^\s*with\b/i.test(sql) && !/\b(insert|update|delete|replace)\b/i.test(sql);
}

function dialectDatabase(db: SqliteDatabase): KyselySqliteDatabase {
	return {
		close: () => {},
		prepare(sql: string): KyselySqliteStatement {
			// A Kysely transaction takes the write lock at once, as driver.ts's do: two nodes on one
			// file never meet SQLITE_BUSY when a transaction that has read starts to write.
			const statement = db.prepare(/^\s*begin\s*$/i.test(sql) ? 'begin immediate' : sql);
			const values = (parameters: ReadonlyArray<unknown>) => parameters as SqlValue[];
			return {
				reader: returnsRows(sql),
				all: (parameters) => statement.all(...values(parameters)),
				run: (parameters) => statement.run(...values(parameters)),
				iterate: (parameters) => statement.all(...values(parameters))[Symbol.iterator]()
			};
		}
	};
}

/** A Kysely on `db`'s connection (typed by the caller's table interface `DB`). */
export function sqliteKysely<DB>(db: SqliteDatabase): Kysely<DB> {
	return new Kysely<DB>({ dialect: new SqliteDialect({ database: dialectDatabase(db) }) });
}

/**
 * The one gate of the app's SQLite connection (ARCHITECTURE.md, "Ports and adapters": one
 * connection). Kysely's SQLite driver holds a mutex on its one connection for every query and for
 * the whole of a transaction (`db.transaction().execute(…)`), across every `await` inside it.
 * `gate(kysely)(work)` runs synchronous work on the same connection under that mutex: it waits for
 * an open unit of work to commit or roll back, so the work never runs inside another caller's
 * transaction (a rollback would drop it; a nested BEGIN would throw). The update store and the
 * client owners on SQLite (synchronous drivers) go through it.
 */
export type SqliteGate = <T>(work: () => T | Promise<T>) => Promise<T>;

export function sqliteGate<DB>(kysely: Kysely<DB>): SqliteGate {
	return (work) => kysely.connection().execute(async () => await work());
}
