import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** Result of consuming one attempt: allowed, or refused with the seconds until the next try. */
export type Attempt = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * A keyed attempt counter ("5 per 15 minutes per key"), in memory: one Kompas process holds the
 * counters; a scaled-out deployment swaps in rate-limiter-flexible's Redis store here.
 */
export function createLimiter(points: number, durationSeconds: number, keyPrefix: string) {
	const limiter = new RateLimiterMemory({ points, duration: durationSeconds, keyPrefix });
	return {
		async consume(key: string): Promise<Attempt> {
			try {
				await limiter.consume(key);
				return { allowed: true };
			} catch (error) {
				if (error instanceof RateLimiterRes)
					return { allowed: false, retryAfterSeconds: Math.ceil(error.msBeforeNext / 1000) };
				throw error;
			}
		},
		/** Peeks without consuming: is `key` blocked right now? */
		async blocked(key: string): Promise<Attempt> {
			const res = await limiter.get(key);
			if (res && res.consumedPoints >= points)
				return { allowed: false, retryAfterSeconds: Math.ceil(res.msBeforeNext / 1000) };
			return { allowed: true };
		},
		/** Forgets a key (after a successful login). */
		async reset(key: string): Promise<void> {
			await limiter.delete(key);
		}
	};
}

export type Limiter = ReturnType<typeof createLimiter>;

/** The limits Kompas applies; kept together so that they are easy to find and tune. */
export function createRateLimits() {
	return {
		/** Failed logins per account. */
		loginPerAccount: createLimiter(5, 15 * 60, 'login-account'),
		/** Failed logins per IP address. */
		loginPerIp: createLimiter(20, 15 * 60, 'login-ip'),
		/** Join-code attempts per IP address. */
		joinPerIp: createLimiter(30, 60, 'join-ip')
	};
}

export type RateLimits = ReturnType<typeof createRateLimits>;
