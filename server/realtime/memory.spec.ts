import { afterEach, describe, expect, it, vi } from 'vitest';
import { createIdleCollector, v8Collector, v8Compactor, worthCompacting } from './memory.ts';

const MiB = 2 ** 20;

describe('idle collector', () => {
	afterEach(() => vi.useRealTimers());

	it('collects once after many unloads have come to rest, not while rooms keep unloading', () => {
		vi.useFakeTimers();
		const collect = vi.fn();
		const idle = createIdleCollector({ minUnloads: 3, quietMs: 1000, collect, compact: null });
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
		const idle = createIdleCollector({ minUnloads: 1, quietMs: 1000, collect, compact: null });
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

	it('gives the empty pages back after the collection when little is live and much is held', () => {
		vi.useFakeTimers();
		const collect = vi.fn();
		const compact = vi.fn();
		let heap = { used: 32 * MiB, committed: 120 * MiB };
		const idle = createIdleCollector({
			minUnloads: 1,
			quietMs: 1000,
			settleMs: 3000,
			collect,
			compact,
			heap: () => heap
		});
		idle.unloaded();
		vi.advanceTimersByTime(1000);
		expect(collect).toHaveBeenCalledTimes(1);
		vi.advanceTimersByTime(2900);
		expect(compact).not.toHaveBeenCalled(); // the incremental collection is still under way
		vi.advanceTimersByTime(100);
		expect(compact).toHaveBeenCalledTimes(1);
		expect(idle.compactions).toBe(1);

		// Too much live to pause for: only the incremental collection.
		heap = { used: 300 * MiB, committed: 900 * MiB };
		idle.unloaded();
		vi.advanceTimersByTime(10_000);
		expect(collect).toHaveBeenCalledTimes(2);
		expect(compact).toHaveBeenCalledTimes(1);

		// A board loading while the compaction waits: its pages are about to be used again.
		heap = { used: 32 * MiB, committed: 120 * MiB };
		idle.unloaded();
		vi.advanceTimersByTime(1000);
		expect(collect).toHaveBeenCalledTimes(3);
		idle.activity();
		vi.advanceTimersByTime(10_000);
		expect(compact).toHaveBeenCalledTimes(1);
	});

	it('compacts only when the pages held for nothing outweigh a pause', () => {
		expect(worthCompacting({ used: 32 * MiB, committed: 120 * MiB })).toBe(true);
		expect(worthCompacting({ used: 64 * MiB, committed: 128 * MiB })).toBe(true);
		// Little held for nothing: less than 32 MiB, or less than what is live.
		expect(worthCompacting({ used: 10 * MiB, committed: 40 * MiB })).toBe(false);
		expect(worthCompacting({ used: 50 * MiB, committed: 95 * MiB })).toBe(false);
		// Too much live: the pause would be long.
		expect(worthCompacting({ used: 65 * MiB, committed: 400 * MiB })).toBe(false);
		expect(worthCompacting({ used: 100 * MiB, committed: 400 * MiB }, 128 * MiB)).toBe(true);
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

	it("gets V8's compacting collection, which hands a heap's empty pages back", () => {
		const compact = v8Compactor();
		expect(compact).toBeTypeOf('function');
		// About 64 MB of doubles on the heap, unreachable once the function returns.
		const full = (() => {
			const garbage = Array.from({ length: 200 }, () => new Array(40_000).fill(1.5));
			expect(garbage.length).toBe(200);
			return process.memoryUsage().heapTotal;
		})();
		compact?.();
		// The compaction gives most of their pages back.
		expect(full - process.memoryUsage().heapTotal).toBeGreaterThan(40 * MiB);
	});
});
