import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { openSqlite, type SqliteDatabase } from './driver.ts';
import { migrateSqlite } from './sqlite-migrator.ts';

export type Db = SqliteDatabase;

/**
 * Opens (creating when needed) the SQLite database at `path` in WAL mode with foreign keys on, and
 * applies every migration it has not seen yet (the frozen baseline of migrations.ts, then the one
 * history of schema-migrations.ts; sqlite-migrator.ts). `':memory:'` gives a throw-away database for tests.
 * Which SQLite driver runs it depends on the Node version (see driver.ts).
 * @throws when the file cannot be opened or a migration fails (nothing of that migration is kept).
 */
export function createDb(path: string): Db {
	if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
	const db = openSqlite(path);
	// First: switching to WAL and migrating wait for another node that opens the same file now.
	db.pragma('busy_timeout = 5000');
	db.pragma('journal_mode = WAL');
	db.pragma('synchronous = NORMAL');
	db.pragma('foreign_keys = ON');
	migrateSqlite(db);
	return db;
}

/**
 * The cheapest question the database answers (the health endpoint, `/healthz`).
 * @throws when it cannot answer.
 */
export function pingDb(db: Db): void {
	db.prepare('SELECT 1').get();
}
