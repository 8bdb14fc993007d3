/** Small in-memory limiters of the realtime server (per socket, per IP), and the board size. */
import * as Y from 'yjs';

/**
 * A token bucket: `rate` tokens per second, at most `burst` saved up. `take(n)` says whether `n`
 * more (default one message) are allowed now, and takes them if so.
 */
export function createTokenBucket(rate: number, burst: number, now: () => number = Date.now) {
	let tokens = burst;
	let last = now();
	return {
		take(n = 1): boolean {
			const at = now();
			tokens = Math.min(burst, tokens + ((at - last) / 1000) * rate);
			last = at;
			if (tokens < n) return false;
			tokens -= n;
			return true;
		}
	};
}

/**
 * Counts events per key in fixed one-minute windows (refused upgrades per IP). Old windows are
 * dropped on `sweep()`, which the server calls periodically.
 */
export function createWindowCounter(
	limit: number,
	windowMs = 60_000,
	now: () => number = Date.now
) {
	const windows = new Map<string, { count: number; resetAt: number }>();
	return {
		/** Whether `key` is over its limit in the current window. */
		blocked(key: string): boolean {
			const entry = windows.get(key);
			return entry !== undefined && entry.resetAt > now() && entry.count >= limit;
		},
		hit(key: string): void {
			const at = now();
			const entry = windows.get(key);
			if (!entry || entry.resetAt <= at) windows.set(key, { count: 1, resetAt: at + windowMs });
			else entry.count++;
		},
		sweep(): void {
			const at = now();
			for (const [key, entry] of windows) if (entry.resetAt <= at) windows.delete(key);
		}
	};
}

/** Counts open things per key (sockets per IP). */
export function createCounter() {
	const counts = new Map<string, number>();
	return {
		get: (key: string) => counts.get(key) ?? 0,
		add(key: string): void {
			counts.set(key, (counts.get(key) ?? 0) + 1);
		},
		remove(key: string): void {
			const next = (counts.get(key) ?? 0) - 1;
			if (next > 0) counts.set(key, next);
			else counts.delete(key);
		}
	};
}

/** What the size check needs of a room: its document and its stored bytes (history included). */
export interface Sized {
	readonly doc: Y.Doc;
	/** Bytes stored for the document: its log since the last compaction, so history too. */
	readonly bytes: number;
}

interface Measure {
	/** Encoded size of the live document when measured. */
	live: number;
	/** `bytes` of the room when measured. */
	bytesAt: number;
	/** Something was removed since: a new measure may find room. */
	shrunk: boolean;
	at: number;
}

const measures = new WeakMap<Y.Doc, Measure>();

/**
 * Whether `add` more bytes fit within `limit` for the document's live content. The stored size
 * (`bytes`, history included) answers most calls at no cost; only when it says "over" is the live
 * document measured (`encodeStateAsUpdate`), at most once per `remeasureMs` and only after something
 * was removed ({@link noteRemoval}), so a near-full board costs no more per update than a small one.
 * Returns the live size it measured (for compaction) or null when it did not measure.
 */
export function fitsLiveSize(
	room: Sized,
	add: number,
	limit: number,
	now: () => number = Date.now,
	remeasureMs = 1000
): { fits: boolean; measured: number | null } {
	let measure = measures.get(room.doc);
	if (room.bytes + add <= limit) {
		// Compacted since the measure: the next check under pressure measures afresh.
		if (measure && room.bytes < measure.bytesAt) measures.delete(room.doc);
		return { fits: true, measured: null };
	}
	let measured: number | null = null;
	const at = now();
	if (
		!measure ||
		(measure.shrunk && at - measure.at >= remeasureMs) ||
		room.bytes < measure.bytesAt
	) {
		measured = Y.encodeStateAsUpdate(room.doc).byteLength;
		measure = { live: measured, bytesAt: room.bytes, shrunk: false, at };
		measures.set(room.doc, measure);
	}
	const estimate = measure.live + Math.max(0, room.bytes - measure.bytesAt);
	return { fits: estimate + add <= limit, measured };
}

/** Something was removed from `doc`: the next size check may measure again. */
export function noteRemoval(doc: Y.Doc): void {
	const measure = measures.get(doc);
	if (measure) measure.shrunk = true;
}
