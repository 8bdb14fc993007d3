import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { isBusyError, openSqlite, type SqliteDatabase } from './driver.ts';
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
	enterWal(db);
	db.pragma('synchronous = NORMAL');
	db.pragma('foreign_keys = ON');
	migrateSqlite(db);
	return db;
}

/** How long `enterWal` keeps trying while another process holds the file, as `busy_timeout`. */
const WAL_SWITCH_PATIENCE_MS = 5000;

/**
 * Switches `db` to WAL. The switch reads the file header, then turns that read into a write; when
 * another connection writes in between (two nodes opening a fresh data directory together),
 * SQLite answers SQLITE_BUSY at once without calling the busy handler, as a read that became a
 * write must not wait (it could deadlock). So this waits a little and asks again, up to
 * `WAL_SWITCH_PATIENCE_MS`; once the other node has switched, the answer is "already WAL".
 * @throws the last SQLITE_BUSY once that time is over, or any other error at once.
 */
export function enterWal(db: Db, patienceMs = WAL_SWITCH_PATIENCE_MS): void {
	const deadline = Date.now() + patienceMs;
	const pause = new Int32Array(new SharedArrayBuffer(4));
	for (let attempt = 1; ; attempt++) {
		try {
			db.pragma('journal_mode = WAL');
			return;
		} catch (error) {
			if (!isBusyError(error) || Date.now() >= deadline) throw error;
			// Synchronous like the rest of opening; a few ms, growing, so the other node can finish.
			Atomics.wait(pause, 0, 0, Math.min(5 * attempt, 50));
		}
	}
}

/**
 * The cheapest question the database answers (the health endpoint, `/healthz`).
 * @throws when it cannot answer.
 */
export function pingDb(db: Db): void {
	db.prepare('SELECT 1').get();
}
