/**
 * Keep-alive pings, spread over the interval (issue 10). Every socket is pinged once per
 * `intervalMs`; one that has not answered the previous ping by then is cut off. A single timer
 * that pinged every socket at once held the event loop for over 100 ms at 100 boards × 30 (6,000
 * sockets, a ping frame and a system call each), and the 6,000 pongs then arrived together: once
 * every 30 s, every card edit in flight waited behind the sweep.
 *
 * So each socket gets one of `slices` slots when it arrives (in turn), and each tick of
 * `intervalMs / slices` visits one slot: a 30 s interval in 120 ticks of 250 ms pings 50 of those
 * 6,000 sockets per tick. A socket is still pinged once per interval, and cut off one interval
 * after a ping it did not answer.
 */

/** What keep-alive needs of a connection. */
export interface KeepAliveTarget {
	/** Set when the socket answered (pong); cleared when it is pinged. */
	alive: boolean;
	readonly ws: { ping(): void; terminate(): void };
}

export interface KeepAliveOptions {
	intervalMs: number;
	/** Ticks per interval (default: one per 250 ms, at least 1, at most 120). */
	slices?: number;
}

/** The default number of ticks per interval: one each 250 ms, between 1 and 120. */
export function defaultSlices(intervalMs: number): number {
	return Math.max(1, Math.min(120, Math.round(intervalMs / 250)));
}

export function createKeepAlive<T extends KeepAliveTarget>(options: KeepAliveOptions) {
	const slices = Math.max(1, Math.floor(options.slices ?? defaultSlices(options.intervalMs)));
	const slots: Set<T>[] = Array.from({ length: slices }, () => new Set<T>());
	const slotOf = new Map<T, Set<T>>();
	let nextSlot = 0;
	let tickSlot = 0;

	/** Pings the sockets of the next slot; cuts off those that did not answer the last ping. */
	function tick(): void {
		const slot = slots[tickSlot];
		tickSlot = (tickSlot + 1) % slices;
		for (const target of [...slot]) {
			if (!target.alive) {
				remove(target);
				target.ws.terminate();
				continue;
			}
			target.alive = false;
			target.ws.ping();
		}
	}

	function remove(target: T): void {
		slotOf.get(target)?.delete(target);
		slotOf.delete(target);
	}

	const timer = setInterval(tick, options.intervalMs / slices);
	timer.unref();

	return {
		/** Starts keeping `target` alive (it is first pinged within one interval). */
		add(target: T): void {
			if (slotOf.has(target)) return;
			const slot = slots[nextSlot];
			nextSlot = (nextSlot + 1) % slices;
			slot.add(target);
			slotOf.set(target, slot);
		},
		/** Stops (the socket closed). */
		remove,
		/** Runs the next tick now (tests). */
		tick,
		stop: () => clearInterval(timer)
	};
}
