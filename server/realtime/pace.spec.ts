import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPace, eventLoopUtilisation, nextCoalescing, nextInterval } from './pace.ts';

describe('presence pace', () => {
	afterEach(() => vi.useRealTimers());

	it('slows presence down on a busy server, up to the maximum, and back when it is calm', () => {
		const options = { baseMs: 50, maxMs: 400 };
		expect(nextInterval(50, 0.9, options)).toBe(75);
		expect(nextInterval(300, 0.95, options)).toBe(400);
		expect(nextInterval(400, 0.95, options)).toBe(400);
		expect(nextInterval(75, 0.55, options)).toBe(75); // in between: keep
		expect(nextInterval(75, 0.2, options)).toBe(50);
		expect(nextInterval(50, 0, options)).toBe(50);
	});

	it('follows the measured utilisation every interval, and stops', () => {
		vi.useFakeTimers();
		const readings = [0.95, 0.95, 0.95, 0.1, 0.1, 0.1, 0.1];
		const pace = createPace({
			baseMs: 50,
			everyMs: 1000,
			utilisation: () => readings.shift() ?? 0
		});
		expect(pace.intervalMs).toBe(50);
		vi.advanceTimersByTime(3000);
		expect(pace.intervalMs).toBe(170); // 50 → 75 → 113 → 170
		vi.advanceTimersByTime(4000);
		expect(pace.intervalMs).toBe(50);
		pace.stop();
	});

	it('coalesces socket writes only while the server is busy, with a margin against flapping', () => {
		const options = { baseMs: 50 };
		expect(nextCoalescing(false, 0.1, options)).toBe(false);
		expect(nextCoalescing(false, 0.35, options)).toBe(false); // in between: keep
		expect(nextCoalescing(false, 0.5, options)).toBe(true);
		expect(nextCoalescing(true, 0.35, options)).toBe(true); // in between: keep
		expect(nextCoalescing(true, 0.2, options)).toBe(false);

		vi.useFakeTimers();
		const readings = [0.1, 0.9, 0.3, 0.1];
		// Also with presence unbatched (base 0): the reading still runs.
		const pace = createPace({ baseMs: 0, everyMs: 1000, utilisation: () => readings.shift() ?? 0 });
		expect(pace.coalesceWrites).toBe(true); // until the first reading
		vi.advanceTimersByTime(1000);
		expect(pace.coalesceWrites).toBe(false);
		vi.advanceTimersByTime(1000);
		expect(pace.coalesceWrites).toBe(true);
		vi.advanceTimersByTime(1000);
		expect(pace.coalesceWrites).toBe(true);
		vi.advanceTimersByTime(1000);
		expect(pace.coalesceWrites).toBe(false);
		expect(pace.intervalMs).toBe(0);
		pace.stop();
	});

	it('measures the event loop: a busy loop reads near 1', async () => {
		const read = eventLoopUtilisation();
		await new Promise((resolve) => setTimeout(resolve, 20));
		read();
		const until = performance.now() + 60;
		while (performance.now() < until); // busy on purpose
		await new Promise((resolve) => setImmediate(resolve));
		expect(read()).toBeGreaterThan(0.5);
	});
});
