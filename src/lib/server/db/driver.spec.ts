import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite, sqliteDriverName, type SqliteDatabase } from './driver.ts';
import { StorageUnavailableError } from '../updates/store.ts';

// Runs against the driver this Node gets: better-sqlite3 on Node 20, node:sqlite on 22.13+ and 24
// (`npm run test:node -- 24` runs this file there).
const open: SqliteDatabase[] = [];
const dirs: string[] = [];
afterEach(() => {
	open.splice(0).forEach((db) => db.close());
	dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

function memory() {
	const db = openSqlite(':memory:');
	open.push(db);
	db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, data BLOB)');
	return db;
}

describe(`the SQLite driver (${sqliteDriverName()})`, () => {
	it('is the one this Node should use', () => {
		const [major, minor] = process.versions.node.split('.').map(Number);
		const builtIn = major > 22 || (major === 22 && minor >= 13);
		expect(sqliteDriverName()).toBe(builtIn ? 'node:sqlite' : 'better-sqlite3');
	});

	it('says "storage unavailable" when another process holds the lock, and writes nothing', () => {
		const dir = mkdtempSync(join(tmpdir(), 'kompas-driver-'));
		dirs.push(dir);
		const [kompas, other] = [0, 1].map(() => {
			const db = openSqlite(join(dir, 'x.sqlite'));
			open.push(db);
			db.pragma('journal_mode = WAL');
			db.pragma('busy_timeout = 0');
			return db;
		});
		kompas.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
		other.exec('BEGIN IMMEDIATE');
		const insert = () => kompas.prepare('INSERT INTO t (name) VALUES (?)').run('a');
		expect(insert).toThrow(StorageUnavailableError);
		expect(() => kompas.transaction(insert)()).toThrow(StorageUnavailableError);
		// Reading still works in WAL mode; a bug in SQL stays an ordinary error.
		expect(kompas.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 });
		expect(() => kompas.prepare('SELECT nope FROM t').get()).not.toThrow(StorageUnavailableError);
		other.exec('ROLLBACK');
		insert();
		expect(kompas.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 1 });
	});

	it('runs a file database in WAL mode', () => {
		const dir = mkdtempSync(join(tmpdir(), 'kompas-driver-'));
		dirs.push(dir);
		const db = openSqlite(join(dir, 'x.sqlite'));
		open.push(db);
		expect(db.pragma('journal_mode = WAL', { simple: true })).toBe('wal');
		expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
		db.pragma('foreign_keys = ON');
		expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
	});

	it('binds positional and named values; a row object may carry more than the statement names', () => {
		const db = memory();
		const insert = db.prepare('INSERT INTO t (id, name) VALUES (@id, @name)');
		expect(insert.run({ id: 1, name: 'Kampen', extra: 'ignored' }).changes).toBe(1);
		db.prepare('INSERT INTO t (id, name) VALUES (?, ?)').run(2, 'Zwolle');
		expect(db.prepare('SELECT name FROM t WHERE id = ?').get(1)).toEqual({ name: 'Kampen' });
		expect(db.prepare('SELECT id FROM t ORDER BY id').all()).toEqual([{ id: 1 }, { id: 2 }]);
		expect(db.prepare('SELECT id FROM t WHERE id = ?').get(99)).toBeUndefined();
	});

	it('gives rows as ordinary objects and BLOBs back byte for byte', () => {
		const db = memory();
		const bytes = new Uint8Array([0, 1, 2, 254, 255]);
		db.prepare('INSERT INTO t (name, data) VALUES (?, ?)').run('blob', bytes);
		const row = db.prepare('SELECT data FROM t').get() as { data: Uint8Array };
		expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
		expect(row.data).toBeInstanceOf(Uint8Array);
		expect([...row.data]).toEqual([...bytes]);
	});

	it('commits a transaction, rolls back one that throws, and nests as savepoints', () => {
		const db = memory();
		const insert = db.prepare('INSERT INTO t (name) VALUES (?)');
		const count = () => (db.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n;

		expect(db.transaction((name: string) => insert.run(name).changes)('a')).toBe(1);
		expect(count()).toBe(1);

		expect(() =>
			db.transaction(() => {
				insert.run('b');
				throw new Error('stop');
			})()
		).toThrow('stop');
		expect(count()).toBe(1);

		db.transaction(() => {
			insert.run('outer');
			expect(() =>
				db.transaction(() => {
					insert.run('inner');
					throw new Error('inner only');
				})()
			).toThrow('inner only');
		})();
		expect(db.prepare('SELECT name FROM t ORDER BY id').all()).toEqual([
			{ name: 'a' },
			{ name: 'outer' }
		]);

		// After every kind of ending, a new transaction starts cleanly.
		db.transaction(() => insert.run('again'))();
		expect(count()).toBe(3);
	});

	it('tells whether a transaction is open, its own or one begun in plain SQL', () => {
		const db = memory();
		expect(db.inTransaction()).toBe(false);
		db.transaction(() => expect(db.inTransaction()).toBe(true))();
		expect(db.inTransaction()).toBe(false);
		// How Kysely opens a transaction on the same connection.
		db.exec('BEGIN');
		expect(db.inTransaction()).toBe(true);
		db.exec('ROLLBACK');
		expect(db.inTransaction()).toBe(false);
	});

	it('refuses a value SQLite cannot store, and keeps nothing of that statement', () => {
		const db = memory();
		expect(() =>
			db.prepare('INSERT INTO t (name) VALUES (?)').run({} as unknown as string)
		).toThrow();
		expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 });
	});
});
