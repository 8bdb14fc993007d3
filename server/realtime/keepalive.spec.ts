import { afterEach, describe, expect, it, vi } from 'vitest';
import { createKeepAlive, defaultSlices, type KeepAliveTarget } from './keepalive.ts';

interface Fake extends KeepAliveTarget {
	name: string;
	pings: number;
	terminated: boolean;
}

function fake(name: string): Fake {
	const target: Fake = {
		name,
		alive: true,
		pings: 0,
		terminated: false,
		ws: {
			ping: () => target.pings++,
			terminate: () => (target.terminated = true)
		}
	};
	return target;
}

describe('keep-alive', () => {
	afterEach(() => vi.useRealTimers());

	it('pings one slot of sockets per tick, so each socket once per interval', () => {
		const keepAlive = createKeepAlive<Fake>({ intervalMs: 30_000, slices: 3 });
		const targets = Array.from({ length: 9 }, (_, i) => fake(`s${i}`));
		targets.forEach((t) => keepAlive.add(t));
		keepAlive.tick();
		// The first slot: every third socket, in the order they came.
		expect(targets.filter((t) => t.pings === 1).map((t) => t.name)).toEqual(['s0', 's3', 's6']);
		keepAlive.tick();
		keepAlive.tick();
		expect(targets.map((t) => t.pings)).toEqual(Array(9).fill(1));
		keepAlive.stop();
	});

	it('cuts off a socket one interval after a ping it did not answer, and keeps one that did', () => {
		const keepAlive = createKeepAlive<Fake>({ intervalMs: 1000, slices: 2 });
		const [quiet, answering] = [fake('quiet'), fake('answering')];
		keepAlive.add(quiet);
		keepAlive.add(answering);
		keepAlive.tick(); // quiet pinged
		keepAlive.tick(); // answering pinged
		answering.alive = true; // its pong
		keepAlive.tick();
		expect(quiet.terminated).toBe(true);
		keepAlive.tick();
		expect(answering.terminated).toBe(false);
		expect(answering.pings).toBe(2);
		// Forgotten once cut off: never pinged or terminated again.
		keepAlive.tick();
		keepAlive.tick();
		expect(quiet.pings).toBe(1);
		keepAlive.stop();
	});

	it('forgets a socket that closed', () => {
		const keepAlive = createKeepAlive<Fake>({ intervalMs: 1000, slices: 1 });
		const gone = fake('gone');
		keepAlive.add(gone);
		keepAlive.remove(gone);
		keepAlive.tick();
		keepAlive.tick();
		expect(gone.pings).toBe(0);
		expect(gone.terminated).toBe(false);
		keepAlive.stop();
	});

	it('ticks on its own timer, one slot each interval / slices', () => {
		vi.useFakeTimers();
		const keepAlive = createKeepAlive<Fake>({ intervalMs: 30_000 });
		expect(defaultSlices(30_000)).toBe(120);
		const targets = Array.from({ length: 240 }, (_, i) => fake(`s${i}`));
		targets.forEach((t) => keepAlive.add(t));
		vi.advanceTimersByTime(250);
		expect(targets.filter((t) => t.pings > 0)).toHaveLength(2);
		vi.advanceTimersByTime(30_000 - 250);
		expect(targets.every((t) => t.pings === 1)).toBe(true);
		keepAlive.stop();
		vi.advanceTimersByTime(60_000);
		expect(targets.every((t) => t.pings === 1)).toBe(true);
	});

	it('uses one slice for short intervals and at most 120', () => {
		expect(defaultSlices(100)).toBe(1);
		expect(defaultSlices(1000)).toBe(4);
		expect(defaultSlices(3_600_000)).toBe(120);
	});
});
