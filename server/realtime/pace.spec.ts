import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPace, eventLoopUtilisation, nextInterval } from './pace.ts';

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
