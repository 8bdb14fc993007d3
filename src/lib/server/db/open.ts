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
	db.pragma('journal_mode = WAL');
	db.pragma('synchronous = NORMAL');
	db.pragma('foreign_keys = ON');
	db.pragma('busy_timeout = 5000');
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

function migrate(db: Db): void {
	const current = db.pragma('user_version', { simple: true }) as number;
	for (let version = current; version < MIGRATIONS.length; version++) {
		db.transaction(() => {
			db.exec(MIGRATIONS[version]);
			db.pragma(`user_version = ${version + 1}`);
		})();
	}
}
