import { afterEach, describe, expect, it, vi } from 'vitest';
import { createIdleCollector, v8Collector } from './memory.ts';

describe('idle collector', () => {
	afterEach(() => vi.useRealTimers());

	it('collects once after many unloads have come to rest, not while rooms keep unloading', () => {
		vi.useFakeTimers();
		const collect = vi.fn();
		const idle = createIdleCollector({ minUnloads: 3, quietMs: 1000, collect });
		idle.unloaded();
		idle.unloaded();
		vi.advanceTimersByTime(5000);
		expect(collect).not.toHaveBeenCalled(); // too few unloads to be worth it

		idle.unloaded();
		vi.advanceTimersByTime(900);
		idle.unloaded(); // still unloading: wait again
		vi.advanceTimersByTime(900);
		expect(collect).not.toHaveBeenCalled();
		vi.advanceTimersByTime(200);
		expect(collect).toHaveBeenCalledTimes(1);
		expect(idle.collections).toBe(1);

		// The count starts over: one more unload is not enough for a second collection.
		idle.unloaded();
		vi.advanceTimersByTime(5000);
		expect(collect).toHaveBeenCalledTimes(1);
	});

	it('waits while rooms load again, and stops on close', () => {
		vi.useFakeTimers();
		const collect = vi.fn();
		const idle = createIdleCollector({ minUnloads: 1, quietMs: 1000, collect });
		idle.unloaded();
		vi.advanceTimersByTime(800);
		idle.activity();
		vi.advanceTimersByTime(800);
		expect(collect).not.toHaveBeenCalled();
		vi.advanceTimersByTime(200);
		expect(collect).toHaveBeenCalledTimes(1);

		idle.unloaded();
		idle.stop();
		vi.advanceTimersByTime(5000);
		expect(collect).toHaveBeenCalledTimes(1);
	});

	it('is off when no collector can be had', () => {
		vi.useFakeTimers();
		const idle = createIdleCollector({ minUnloads: 1, quietMs: 10, collect: null });
		idle.unloaded();
		vi.advanceTimersByTime(100);
		expect(idle.collections).toBe(0);
	});

	it("gets V8's collector without --expose-gc and frees an unreachable object with it", async () => {
		const collect = v8Collector();
		expect(collect).toBeTypeOf('function');
		let freed = false;
		const registry = new FinalizationRegistry(() => (freed = true));
		(() => registry.register({ big: new Array(1000).fill(0) }, 'x'))();
		await expect
			.poll(
				async () => {
					collect?.();
					await new Promise((resolve) => setTimeout(resolve, 10));
					return freed;
				},
				{ timeout: 10_000 }
			)
			.toBe(true);
	});
});
