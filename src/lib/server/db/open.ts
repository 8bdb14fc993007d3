import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { openSqlite, type SqliteDatabase } from './driver.ts';
import { MIGRATIONS } from './migrations.ts';

export type Db = SqliteDatabase;

/**
 * Opens (creating when needed) the SQLite database at `path` in WAL mode with foreign keys on, and
 * applies every migration it has not seen yet. `':memory:'` gives a throw-away database for tests.
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
	migrate(db);
	return db;
}

/**
 * The cheapest question the database answers (the health endpoint, `/healthz`).
 * @throws when it cannot answer.
 */
export function pingDb(db: Db): void {
	db.prepare('SELECT 1').get();
}

/**
 * Applies the missing migrations one at a time, each in its own IMMEDIATE transaction that reads
 * the version again: two nodes starting on one file migrate it once, the second waits and finds it
 * done.
 */
function migrate(db: Db): void {
	const step = db.transaction((): boolean => {
		const version = db.pragma('user_version', { simple: true }) as number;
		if (version >= MIGRATIONS.length) return false;
		db.exec(MIGRATIONS[version]);
		db.pragma(`user_version = ${version + 1}`);
		return true;
	});
	while (step()) {
		// one migration per transaction
	}
}
