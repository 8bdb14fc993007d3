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
 * V8 only hands out `gc` to code when `--expose-gc` is set. Setting that flag now exposes it in a new
 * context (not on this process's `globalThis`), which is where it is taken from; when that fails the
 * collector is simply off.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface IdleCollectorOptions {
	/** Rooms that must have unloaded since the last collection (default 50). */
	minUnloads?: number;
	/** Quiet time after the last load or unload before collecting (ms, default 5000). */
	quietMs?: number;
	/** The collection; default V8's own, null when it cannot be had. */
	collect?: (() => void) | null;
}

type Gc = (options?: { type: 'major' | 'minor'; execution: 'sync' | 'async' }) => void;

/** V8's collector as a function, or null when this Node does not give it out. */
export function v8Collector(): (() => void) | null {
	let gc = (globalThis as { gc?: Gc }).gc;
	if (typeof gc !== 'function') {
		try {
			setFlagsFromString('--expose-gc');
			gc = runInNewContext('gc') as Gc | undefined;
		} catch {
			return null;
		}
	}
	if (typeof gc !== 'function') return null;
	const found = gc;
	return () => found({ type: 'major', execution: 'async' });
}

/**
 * Counts unloaded rooms and collects once they have come to rest.
 * `activity()` on every load, `unloaded()` on every unload, `stop()` on close.
 */
export function createIdleCollector(options: IdleCollectorOptions = {}) {
	const minUnloads = options.minUnloads ?? 50;
	const quietMs = options.quietMs ?? 5000;
	const collect = options.collect === undefined ? v8Collector() : options.collect;
	let unloads = 0;
	let timer: ReturnType<typeof setTimeout> | null = null;
	let collections = 0;

	const arm = () => {
		if (timer) clearTimeout(timer);
		timer = null;
		if (!collect || unloads < minUnloads) return;
		timer = setTimeout(() => {
			timer = null;
			unloads = 0;
			collections++;
			collect();
		}, quietMs);
		timer.unref();
	};

	return {
		/** A room loaded: the server is not at rest yet. */
		activity(): void {
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
		stop(): void {
			if (timer) clearTimeout(timer);
			timer = null;
		}
	};
}

export type IdleCollector = ReturnType<typeof createIdleCollector>;
