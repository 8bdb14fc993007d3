/**
 * WAL checkpoints on a worker thread (issue 10).
 *
 * In WAL mode every commit appends its pages to the `-wal` file, and by default the connection
 * that commits the 1,000th page copies them back into the database file right then, inside that
 * commit: with `synchronous = NORMAL` that is two `fsync`s on the event loop. At 100 boards × 30
 * people (about 600 stored updates a second) that came every half second and held every socket of
 * the server for 11–15 ms, and made up about half of the time spent storing updates
 * (bench/results/issue-10.md).
 *
 * So the app's connection checkpoints no more (`wal_autocheckpoint = 0`) and a worker thread with
 * its own connection to the same file does, every `intervalMs`, as a PASSIVE checkpoint: it copies
 * what no reader still needs and never waits for, or blocks, a writer. Durability is unchanged: a
 * commit has reached the WAL when it returns, whoever copies it on later.
 *
 * Should the worker not start or die, the connection checkpoints itself again (SQLite's default),
 * so the WAL never grows without bound.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './open.ts';

/** SQLite's own default: checkpoint once the WAL holds this many pages. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;
/** How often the worker checkpoints (ms): at 10 MB of WAL a second under heavy load, ~5 MB. */
export const CHECKPOINT_INTERVAL_MS = 500;

export interface Checkpointer {
	/** Stops the worker (after its running checkpoint) and closes its connection. */
	stop(): Promise<void>;
}

export interface CheckpointOptions {
	intervalMs?: number;
	/** Told once when the worker fails and the connection checkpoints itself again. */
	onFallback?: (reason: string) => void;
}

/**
 * The worker's script: CommonJS, evaluated, so that it runs alike under tsx, in the built app and
 * in the tests. It opens the file with the driver the app's connection uses (driver.ts).
 */
const workerScript = `
const { parentPort, workerData } = require('node:worker_threads');
const { path, driver, betterSqlite, intervalMs } = workerData;
let db;
if (driver === 'node:sqlite') {
	// Node 22 calls the module experimental on every start; the app has chosen it (driver.ts).
	const emitWarning = process.emitWarning;
	process.emitWarning = (warning, ...rest) => {
		const text = typeof warning === 'string' ? warning : warning && warning.message;
		if (/SQLite is an experimental feature/.test(String(text))) return;
		return emitWarning.call(process, warning, ...rest);
	};
	const { DatabaseSync } = require('node:sqlite');
	process.emitWarning = emitWarning;
	db = new DatabaseSync(path);
} else {
	db = new (require(betterSqlite))(path);
}
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
	try {
		checkpoint.all();
	} catch (error) {
		// Busy or locked (another process checkpoints now): the next tick tries again. Anything
		// else: the app's connection takes the checkpoints back.
		if (!/busy|locked/i.test(String(error && error.message))) parentPort.postMessage({ failed: String(error && error.message) });
	}
}, intervalMs);
parentPort.on('message', (message) => {
	if (message !== 'stop') return;
	clearInterval(timer);
	db.close();
	parentPort.close();
});
`;

/**
 * Moves `db`'s checkpoints (the database file at `path`) onto a worker thread. For an in-memory
 * database there is nothing to do.
 */
export function checkpointOffThread(
	db: Db,
	path: string,
	options: CheckpointOptions = {}
): Checkpointer {
	if (path === ':memory:') return { stop: async () => {} };
	const betterSqlite =
		db.driver === 'better-sqlite3'
			? createRequire(import.meta.url).resolve('better-sqlite3')
			: null;
	let fellBack = false;
	let stopping = false;
	const fallBack = (reason: string) => {
		if (fellBack || stopping) return;
		fellBack = true;
		try {
			db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
		} catch {
			// The connection is closed: nothing is written through it any more.
		}
		options.onFallback?.(reason);
	};
	let worker: Worker;
	try {
		worker = new Worker(workerScript, {
			eval: true,
			workerData: {
				path,
				driver: db.driver,
				betterSqlite,
				intervalMs: options.intervalMs ?? CHECKPOINT_INTERVAL_MS
			}
		});
	} catch (error) {
		options.onFallback?.(String(error));
		return { stop: async () => {} };
	}
	db.pragma('wal_autocheckpoint = 0');
	// It never keeps the process alive: stopping the server closes it, and an exit without that
	// loses nothing (the WAL is checkpointed by the next connection that opens the file).
	worker.unref();
	worker.on('message', (message: { failed?: string }) => {
		if (message.failed) {
			fallBack(`checkpoint failed: ${message.failed}`);
			void worker.terminate();
		}
	});
	worker.on('error', (error) => fallBack(String(error)));
	const exited = new Promise<void>((resolve) =>
		worker.on('exit', () => {
			fallBack('the checkpoint worker stopped');
			resolve();
		})
	);
	return {
		async stop() {
			if (stopping) return exited;
			stopping = true;
			// Held until it has exited: a process that waits for nothing else (the command line,
			// `await ctx.close()` at the top level) would otherwise end with the promise unsettled.
			worker.ref();
			worker.postMessage('stop');
			return exited;
		}
	};
}
