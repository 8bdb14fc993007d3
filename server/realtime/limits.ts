/** Small in-memory limiters of the realtime server (per socket, per IP). */

/**
 * A token bucket: `rate` tokens per second, at most `burst` saved up. `take()` says whether one
 * more message is allowed now.
 */
export function createTokenBucket(rate: number, burst: number, now: () => number = Date.now) {
	let tokens = burst;
	let last = now();
	return {
		take(): boolean {
			const at = now();
			tokens = Math.min(burst, tokens + ((at - last) / 1000) * rate);
			last = at;
			if (tokens < 1) return false;
			tokens -= 1;
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
