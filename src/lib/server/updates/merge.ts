/**
 * Compaction's one step that knows Yjs: the stored rows of a document (updates and an earlier
 * snapshot, from any node) merged into one snapshot. Built from the rows themselves, not from a
 * room's document, so that a snapshot holds whatever another node appended, loaded or not.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import * as Y from 'yjs';

/**
 * One update that holds everything `rows` hold. Applied to a garbage-collecting document and
 * encoded again, so removed content is dropped (`Y.mergeUpdates` would keep it) and structs that
 * wait for a missing dependency are kept as they are (Yjs encodes pending updates too).
 * @throws when a row is not a Yjs update (nothing is compacted then).
 */
export function mergeRows(rows: readonly Uint8Array[]): Uint8Array {
	const doc = new Y.Doc();
	try {
		doc.transact(() => {
			for (const row of rows) Y.applyUpdate(doc, row);
		});
		return Y.encodeStateAsUpdate(doc);
	} finally {
		doc.destroy();
	}
}

/**
 * `mergeRows` on a worker thread, so that the event loop goes on serving edits while a large board
 * is compacted (at 1 board × 100, a merge held every socket of the server for tens of
 * milliseconds). The same steps as `mergeRows` (merge.spec.ts holds them to the same bytes); where
 * no worker can run, it merges here. Rejects as `mergeRows` throws.
 */
export function mergeRowsOffThread(rows: readonly Uint8Array[]): Promise<Uint8Array> {
	const worker = mergeWorker();
	if (!worker) return Promise.resolve().then(() => mergeRows(rows));
	return new Promise((resolve, reject) => {
		const id = nextJob++;
		jobs.set(id, { rows, resolve, reject });
		// Held while it merges: a process that waits for nothing else still waits for this.
		if (jobs.size === 1) worker.ref();
		worker.postMessage({ id, rows });
	});
}

interface Job {
	rows: readonly Uint8Array[];
	resolve(merged: Uint8Array): void;
	reject(error: Error): void;
}
type Answer = { id: number; merged: Uint8Array } | { id: number; error: string };

const jobs = new Map<number, Job>();
let nextJob = 0;
/** The running worker; undefined until needed (or after it died: the next merge starts another). */
let worker: Worker | undefined;

/**
 * The worker's script: CommonJS, evaluated, with Yjs required by the path this module resolves, so
 * that it runs alike under tsx, in the built app and in the tests.
 */
const workerScript = (yjs: string) => `
const { parentPort } = require('node:worker_threads');
const Y = require(${JSON.stringify(yjs)});
parentPort.on('message', ({ id, rows }) => {
	const doc = new Y.Doc();
	try {
		doc.transact(() => {
			for (const row of rows) Y.applyUpdate(doc, row);
		});
		const merged = Y.encodeStateAsUpdate(doc);
		parentPort.postMessage({ id, merged }, [merged.buffer]);
	} catch (error) {
		parentPort.postMessage({ id, error: String((error && error.message) || error) });
	} finally {
		doc.destroy();
	}
});
`;

function mergeWorker(): Worker | null {
	if (worker) return worker;
	let started: Worker;
	try {
		started = new Worker(workerScript(createRequire(import.meta.url).resolve('yjs')), {
			eval: true
		});
	} catch {
		return null;
	}
	started.unref();
	started.on('message', ({ id, ...answer }: Answer) => {
		const job = jobs.get(id);
		if (!job) return;
		jobs.delete(id);
		if (jobs.size === 0) started.unref();
		if ('error' in answer) job.reject(new Error(answer.error));
		else job.resolve(answer.merged);
	});
	// A worker that dies leaves its jobs to this thread; the next merge starts a new one.
	let dead = false;
	const died = () => {
		if (dead) return;
		dead = true;
		if (worker === started) worker = undefined;
		const waiting = [...jobs.values()];
		jobs.clear();
		for (const job of waiting) {
			try {
				job.resolve(mergeRows(job.rows));
			} catch (error) {
				job.reject(error as Error);
			}
		}
	};
	started.on('error', died);
	started.on('exit', died);
	worker = started;
	return started;
}
