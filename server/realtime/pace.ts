/**
 * How often presence goes out, by how busy the server is (issue 10). Presence (cursors, who is
 * typing) is sent in batches per board, 50 ms apart when the server has time. It is also most of
 * what a busy server writes: at 100 boards × 30 phones, a batch every 50 ms to every phone is
 * 60,000 socket writes a second, against 17,000 for everyone's card edits, and those writes were
 * a third of the server's time in the profile.
 *
 * So the pace follows the event loop's utilisation (the share of time it was busy, measured each
 * second): above `busy` the interval grows by half, up to `maxMs`; below `calm` it shrinks back to
 * `baseMs`. Cursors then move a little later on a full server, and card edits keep their speed.
 *
 * The same reading says whether socket writes are worth coalescing (`coalesceWrites`, cork.ts):
 * on a busy server a socket gets several messages per turn of the event loop, and one `writev` for
 * all of them saves most of the writing; on a calm one it gets one, and holding it back to the end
 * of the turn only adds the turn's other work to its latency (1 board × 100 in the bench: p99 7.6
 * ms corked, 7.0 ms written at once, the worst case 29 against 9 ms).
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export interface PaceOptions {
	/** The interval when the server has time (ms, default 50). */
	baseMs: number;
	/** The longest interval (ms, default 8 × base). */
	maxMs?: number;
	/** Utilisation above which presence slows down (default 0.7). */
	busy?: number;
	/** Utilisation below which it speeds up again (default 0.4). */
	calm?: number;
	/** Utilisation above which socket writes are coalesced per turn (default 0.4). */
	coalesceAbove?: number;
	/** Utilisation below which they are written at once again (default 0.25). */
	coalesceBelow?: number;
	/** How often the utilisation is read (ms, default 1000). */
	everyMs?: number;
	/** The utilisation since the last reading (default: the event loop's own). */
	utilisation?: () => number;
}

/** The event loop's busy share since the previous call. */
export function eventLoopUtilisation(): () => number {
	let last: EventLoopUtilization = performance.eventLoopUtilization();
	return () => {
		const now = performance.eventLoopUtilization();
		const share = performance.eventLoopUtilization(now, last).utilization;
		last = now;
		return share;
	};
}

/** The next interval from the current one and the measured utilisation. */
export function nextInterval(current: number, utilisation: number, options: PaceOptions): number {
	const maxMs = options.maxMs ?? options.baseMs * 8;
	if (utilisation > (options.busy ?? 0.7)) return Math.min(maxMs, Math.round(current * 1.5));
	if (utilisation < (options.calm ?? 0.4))
		return Math.max(options.baseMs, Math.round(current / 1.5));
	return current;
}

/** Whether writes are coalesced after a reading: on above one threshold, off below a lower one. */
export function nextCoalescing(
	current: boolean,
	utilisation: number,
	options: PaceOptions
): boolean {
	if (utilisation > (options.coalesceAbove ?? 0.4)) return true;
	if (utilisation < (options.coalesceBelow ?? 0.25)) return false;
	return current;
}

/** A presence pace and write coalescing that adapt every `everyMs`; `stop()` on close. */
export function createPace(options: PaceOptions) {
	let interval = options.baseMs;
	// Coalescing until the first reading: a server that starts under load needs it from the start.
	let coalesce = true;
	const read = options.utilisation ?? eventLoopUtilisation();
	const timer = setInterval(() => {
		const utilisation = read();
		if (options.baseMs > 0) interval = nextInterval(interval, utilisation, options);
		coalesce = nextCoalescing(coalesce, utilisation, options);
	}, options.everyMs ?? 1000);
	timer.unref();
	return {
		/** The current interval between a board's presence batches (ms). */
		get intervalMs() {
			return interval;
		},
		/** Whether a socket's writes wait for the end of the turn, to leave in one `writev`. */
		get coalesceWrites() {
			return coalesce;
		},
		stop: () => clearInterval(timer)
	};
}

export type Pace = ReturnType<typeof createPace>;
