import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { isBusyError, openSqlite, sqliteDriverName } from './driver.ts';
import { createDb, enterWal } from './open.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function freshFile(): string {
	const dir = mkdtempSync(join(tmpdir(), 'kompas-open-'));
	dirs.push(dir);
	return join(dir, 'kompas.sqlite');
}

/**
 * Another "node" (a worker thread with its own connection) that starts writing to `file` while it
 * is still in rollback-journal mode, says so, and commits after `holdMs`: what a second Kompas
 * process does when both open the same fresh data directory. SQLite's switch to WAL then answers
 * SQLITE_BUSY at once (its read cannot become a write while another writes; no busy handler runs).
 */
function holdLock(file: string, holdMs: number): Promise<{ released: Promise<void> }> {
	const driver = sqliteDriverName();
	const modulePath =
		driver === 'node:sqlite'
			? 'node:sqlite'
			: createRequire(import.meta.url).resolve('better-sqlite3');
	const worker = new Worker(
		`
		const { parentPort, workerData } = require('node:worker_threads');
		const mod = require(workerData.modulePath);
		const db = workerData.driver === 'node:sqlite' ? new mod.DatabaseSync(workerData.file) : new mod(workerData.file);
		db.exec('CREATE TABLE held (x)');
		db.exec('BEGIN IMMEDIATE');
		db.exec('INSERT INTO held VALUES (1)');
		parentPort.postMessage('locked');
		setTimeout(() => { db.exec('COMMIT'); db.close(); parentPort.postMessage('released'); }, workerData.holdMs);
		`,
		{ eval: true, workerData: { file, holdMs, driver, modulePath } }
	);
	return new Promise((resolveLocked, reject) => {
		let release: () => void = () => {};
		const released = new Promise<void>((r) => (release = r));
		worker.on('error', reject);
		worker.on('message', (message) => {
			if (message === 'locked') resolveLocked({ released });
			if (message === 'released') release();
		});
	});
}

describe('opening the database', () => {
	it('waits for another process that holds a fresh file, then switches to WAL and migrates', async () => {
		const file = freshFile();
		const { released } = await holdLock(file, 150);
		const db = createDb(file);
		await released;
		expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
		expect(db.prepare('SELECT COUNT(*) AS n FROM held').get()).toEqual({ n: 1 });
		expect(db.prepare('SELECT COUNT(*) AS n FROM users').get()).toEqual({ n: 0 });
		db.close();
	});

	it('gives up with the busy error once its patience is over', async () => {
		const file = freshFile();
		const { released } = await holdLock(file, 400);
		const db = openSqlite(file);
		const started = Date.now();
		let caught: unknown;
		try {
			enterWal(db, 60);
		} catch (error) {
			caught = error;
		}
		expect(isBusyError(caught)).toBe(true);
		expect(Date.now() - started).toBeGreaterThanOrEqual(60);
		await released;
		enterWal(db, 60);
		expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
		db.close();
	});
});
