import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointOffThread, type Checkpointer } from './checkpoint.ts';
import { createDb, type Db } from './open.ts';
import { sqliteDriverName } from './driver.ts';

// Runs with the driver this Node gets (`npm run test:node -- 24` runs this folder there too).
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	for (const step of cleanup.splice(0).reverse()) await step();
});

function database(): { db: Db; path: string } {
	const dir = mkdtempSync(join(tmpdir(), 'kompas-checkpoint-'));
	cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
	const path = join(dir, 'kompas.sqlite');
	const db = createDb(path);
	cleanup.push(() => {
		try {
			db.close();
		} catch {
			// closed by the test
		}
	});
	db.exec('CREATE TABLE log (id INTEGER PRIMARY KEY, data BLOB NOT NULL)');
	return { db, path };
}

function started(db: Db, path: string, onFallback?: (reason: string) => void): Checkpointer {
	const checkpoints = checkpointOffThread(db, path, { intervalMs: 20, onFallback });
	cleanup.push(() => checkpoints.stop());
	return checkpoints;
}

/** Writes about `megabytes` MB in many small commits, as the update store does. */
function write(db: Db, megabytes: number): void {
	const insert = db.prepare('INSERT INTO log (data) VALUES (?)');
	const row = new Uint8Array(1024).fill(7);
	for (let i = 0; i < megabytes * 1024; i++) insert.run(row);
}

describe(`WAL checkpoints on a worker thread (${sqliteDriverName()})`, () => {
	it('copies the commits into the database file while the connection itself never checkpoints', async () => {
		const { db, path } = database();
		const fallbacks: string[] = [];
		started(db, path, (reason) => fallbacks.push(reason));
		expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
		const before = statSync(path).size;
		write(db, 3);
		// The file only grows by a checkpoint, and the connection that wrote does not run them.
		await expect.poll(() => statSync(path).size, { timeout: 10_000 }).toBeGreaterThan(before + 3e6);
		expect(db.prepare('SELECT COUNT(*) AS n FROM log').get()).toEqual({ n: 3 * 1024 });
		expect(fallbacks).toEqual([]);
	});

	it('stops with its own connection closed, so the last one closing empties and removes the WAL', async () => {
		const { db, path } = database();
		const checkpoints = started(db, path);
		write(db, 1);
		await checkpoints.stop();
		expect(existsSync(`${path}-wal`)).toBe(true);
		db.close();
		// SQLite removes the WAL only when the connection closing is the last one on the file.
		expect(existsSync(`${path}-wal`)).toBe(false);
		const reopened = createDb(path);
		cleanup.push(() => reopened.close());
		expect(reopened.prepare('SELECT COUNT(*) AS n FROM log').get()).toEqual({ n: 1024 });
	});

	it('lets a process that only awaits the stop end normally (the command line does that)', () => {
		const dir = mkdtempSync(join(tmpdir(), 'kompas-checkpoint-cli-'));
		cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
		const here = (file: string) => JSON.stringify(fileURLToPath(new URL(file, import.meta.url)));
		const script = join(dir, 'stop.mts');
		writeFileSync(
			script,
			`import { createDb } from ${here('./open.ts')};
			import { checkpointOffThread } from ${here('./checkpoint.ts')};
			const path = ${JSON.stringify(join(dir, 'kompas.sqlite'))};
			const db = createDb(path);
			const checkpoints = checkpointOffThread(db, path);
			db.exec('CREATE TABLE t (x INTEGER)');
			await checkpoints.stop();
			db.close();
			console.log('stopped');`
		);
		// An unsettled top-level await ends the process with exit code 13, and execFileSync throws.
		const out = execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
		expect(out.trim()).toBe('stopped');
		expect(existsSync(join(dir, 'kompas.sqlite-wal'))).toBe(false);
	});

	it('gives the checkpoints back to the connection when the worker cannot work', async () => {
		const { db } = database();
		const fallbacks: string[] = [];
		// A file the worker cannot open: its thread fails at the start.
		started(db, join(tmpdir(), 'kompas-no-such-dir', 'nested', 'kompas.sqlite'), (reason) =>
			fallbacks.push(reason)
		);
		await expect.poll(() => fallbacks.length, { timeout: 10_000 }).toBe(1);
		expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
	});

	it('has nothing to do for an in-memory database', async () => {
		const db = createDb(':memory:');
		cleanup.push(() => db.close());
		const checkpoints = checkpointOffThread(db, ':memory:');
		await checkpoints.stop();
		expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
	});
});
