import type { Redis } from 'ioredis';
import {
	RateLimiterMemory,
	RateLimiterRedis,
	RateLimiterRes,
	type RateLimiterAbstract
} from 'rate-limiter-flexible';

/** Result of consuming one attempt: allowed, or refused with the seconds until the next try. */
export type Attempt = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Where the counters live. Without Redis (one node) in this process's memory. With Redis
 * (`KOMPAS_REDIS_URL`, several nodes) in Redis, so that attempts on every node add up; while Redis
 * cannot be reached each node counts in its own memory instead (rate-limiter-flexible's insurance
 * limiter, same points and duration): the limit still holds per node, nobody is let in unlimited
 * and nobody is locked out because Redis is away. Counts made meanwhile stay on that node.
 */
export interface LimiterStore {
	redis?: Redis;
}

/**
 * A keyed attempt counter ("5 per 15 minutes per key").
 */
export function createLimiter(
	points: number,
	durationSeconds: number,
	keyPrefix: string,
	store: LimiterStore = {}
) {
	const memory = new RateLimiterMemory({ points, duration: durationSeconds, keyPrefix });
	const limiter: RateLimiterAbstract = store.redis
		? new RateLimiterRedis({
				storeClient: store.redis,
				points,
				duration: durationSeconds,
				keyPrefix: `kompas:limit:${keyPrefix}`,
				// Straight to the insurance while the connection is down, instead of waiting for it.
				rejectIfRedisNotReady: true,
				insuranceLimiter: memory
			})
		: memory;
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

/**
 * The limits Kompas applies; kept together so that they are easy to find and tune. With
 * `store.redis` they are shared by every node (see `LimiterStore`).
 */
export function createRateLimits(store: LimiterStore = {}) {
	return {
		/** Failed logins per account. */
		loginPerAccount: createLimiter(5, 15 * 60, 'login-account', store),
		/** Failed logins per IP address. */
		loginPerIp: createLimiter(20, 15 * 60, 'login-ip', store),
		/** Join-code attempts per IP address. */
		joinPerIp: createLimiter(30, 60, 'join-ip', store)
	};
}

export type RateLimits = ReturnType<typeof createRateLimits>;
