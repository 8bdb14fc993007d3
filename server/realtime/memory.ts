/**
 * Memory that goes back after a busy day (issue 10 item 4).
 *
 * V8 starts a full collection when its heap grows, not when a server goes quiet. After hundreds of
 * boards have unloaded, their documents are garbage, but with no allocation afterwards nothing
 * collects them: the bench measured +95 % RSS 30 s after 1,000 boards churned, +13 % once collected.
 * So the realtime server asks V8 for one collection when many rooms have unloaded and then no room
 * has loaded or unloaded for a while. It runs incrementally (`execution: 'async'`), so the boards
 * still open elsewhere on the server get no pause.
 *
 * That collection frees the objects but keeps the pages they stood on: after 1,000 boards the bench
 * saw 32 MB live in a heap of 93–120 MB committed (a young generation grown to 32 MB, an old one
 * with 77 MB of pages for 22 MB of objects), RSS +16 to +36 % over the start. Only V8's full
 * collection that reduces memory (`gc()` without options) shrinks the young generation and compacts
 * the old one: there it took 24 ms and brought RSS to −11 %. That one pauses the whole server for
 * about as long as it takes to mark what is live, so it runs only when little is live and much is
 * held for nothing (`worthCompacting`), a few seconds after the incremental one.
 *
 * V8 only hands out `gc` to code when `--expose-gc` is set. Setting that flag now exposes it in a new
 * context (not on this process's `globalThis`), which is where it is taken from; when that fails the
 * collector is simply off.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const MiB = 2 ** 20;

/** The V8 heap's bytes: what its objects use, and what it holds from the system. */
export interface HeapSize {
	used: number;
	committed: number;
}

export interface IdleCollectorOptions {
	/** Rooms that must have unloaded since the last collection (default 50). */
	minUnloads?: number;
	/** Quiet time after the last load or unload before collecting (ms, default 5000). */
	quietMs?: number;
	/** The incremental collection; default V8's own, null when it cannot be had. */
	collect?: (() => void) | null;
	/** The full collection that gives pages back; default V8's `gc()`, null to never run it. */
	compact?: (() => void) | null;
	/** Time between the incremental collection and looking at the heap (ms, default 3000). */
	settleMs?: number;
	/** The heap's size now (default `process.memoryUsage()`). */
	heap?: () => HeapSize;
	/** The most live heap for which the compaction's pause is accepted (bytes, default 64 MiB). */
	maxCompactLive?: number;
}

type Gc = (options?: { type: 'major' | 'minor'; execution: 'sync' | 'async' }) => void;

/** What {@link v8Gc} found: looked up once per process (undefined until then). */
let foundGc: Gc | null | undefined;

/** V8's `gc` function, or null when this Node does not give it out. */
function v8Gc(): Gc | null {
	if (foundGc !== undefined) return foundGc;
	let gc = (globalThis as { gc?: Gc }).gc;
	if (typeof gc !== 'function') {
		try {
			setFlagsFromString('--expose-gc');
			gc = runInNewContext('gc') as Gc | undefined;
		} catch {
			gc = undefined;
		}
	}
	foundGc = typeof gc === 'function' ? gc : null;
	return foundGc;
}

/** V8's incremental full collection as a function, or null when this Node does not give it out. */
export function v8Collector(): (() => void) | null {
	const gc = v8Gc();
	return gc && (() => gc({ type: 'major', execution: 'async' }));
}

/**
 * V8's full collection that reduces memory (it shrinks the young generation and compacts the old
 * one), or null. It pauses the process while it marks what is live.
 */
export function v8Compactor(): (() => void) | null {
	const gc = v8Gc();
	return gc && (() => gc());
}

/**
 * Whether a compacting collection is worth its pause: at least 32 MiB and at least as much again as
 * is live is held for nothing, and what is live is small enough to mark quickly.
 */
export function worthCompacting(heap: HeapSize, maxLive = 64 * MiB): boolean {
	const idle = heap.committed - heap.used;
	return heap.used <= maxLive && idle >= 32 * MiB && idle >= heap.used;
}

const processHeap = (): HeapSize => {
	const { heapUsed, heapTotal } = process.memoryUsage();
	return { used: heapUsed, committed: heapTotal };
};

/**
 * Counts unloaded rooms and collects once they have come to rest.
 * `activity()` on every load, `unloaded()` on every unload, `stop()` on close.
 */
export function createIdleCollector(options: IdleCollectorOptions = {}) {
	const minUnloads = options.minUnloads ?? 50;
	const quietMs = options.quietMs ?? 5000;
	const settleMs = options.settleMs ?? 3000;
	const collect = options.collect === undefined ? v8Collector() : options.collect;
	const compact = options.compact === undefined ? v8Compactor() : options.compact;
	const heap = options.heap ?? processHeap;
	const maxLive = options.maxCompactLive ?? 64 * MiB;
	let unloads = 0;
	let timer: ReturnType<typeof setTimeout> | null = null;
	let collections = 0;
	let compactions = 0;

	const clear = () => {
		if (timer) clearTimeout(timer);
		timer = null;
	};
	const later = (ms: number, run: () => void) => {
		timer = setTimeout(() => {
			timer = null;
			run();
		}, ms);
		timer.unref();
	};

	const arm = () => {
		clear();
		if (!collect || unloads < minUnloads) return;
		later(quietMs, () => {
			unloads = 0;
			collections++;
			collect();
			// Once the incremental collection has had time to finish, give the empty pages back.
			if (compact)
				later(settleMs, () => {
					if (!worthCompacting(heap(), maxLive)) return;
					compactions++;
					compact();
				});
		});
	};

	return {
		/** A room loaded: the server is not at rest yet. */
		activity(): void {
			// A load while the compaction waits cancels it: the pages are about to be used again.
			if (timer) arm();
		},
		/** A room unloaded. */
		unloaded(): void {
			unloads++;
			arm();
		},
		/** How many collections ran (tests, stats). */
		get collections() {
			return collections;
		},
		/** How many compacting collections ran (tests, stats). */
		get compactions() {
			return compactions;
		},
		stop: clear
	};
}

export type IdleCollector = ReturnType<typeof createIdleCollector>;
