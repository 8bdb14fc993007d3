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
			const statement = db.prepare(sql);
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
