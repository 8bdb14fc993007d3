/**
 * A second connection to a test server's SQLite file, for a spec that reads or changes rows behind
 * the app's back (as another process would). The app context exposes no database of its own (its
 * repositories run on Kysely, SQLite or PostgreSQL); its data folder is the file's. One connection
 * per file, closed when the process ends.
 */
import { join } from 'node:path';
import type { AppContext } from '../../../src/lib/server/context.ts';
import { openSqlite, type SqliteDatabase } from '../../../src/lib/server/db/driver.ts';

const open = new Map<string, SqliteDatabase>();
process.once('exit', () => open.forEach((db) => db.close()));

export function rawDb(app: AppContext): SqliteDatabase {
	if (app.database.dialect !== 'sqlite' || app.config.dataDir === ':memory:')
		throw new Error('rawDb needs a test server on a SQLite data folder');
	const path = join(app.config.dataDir, 'kompas.sqlite');
	let db = open.get(path);
	if (!db) {
		db = openSqlite(path);
		db.pragma('busy_timeout = 5000');
		open.set(path, db);
	}
	return db;
}
