import { describe, expect, it } from 'vitest';
import { dayInNetherlands, parseSince } from './since.ts';

describe('parseSince', () => {
	it('reads a winter day as its start in Amsterdam (CET, UTC+1)', () => {
		expect(parseSince('2026-12-01')).toBe(Date.UTC(2026, 10, 30, 23));
	});

	it('reads a summer day as its start in Amsterdam (CEST, UTC+2)', () => {
		expect(parseSince('2026-07-15')).toBe(Date.UTC(2026, 6, 14, 22));
	});

	it('starts the days around the spring change (29 March 2026) at local midnight', () => {
		// The day of the change still starts in winter time; the next day in summer time.
		expect(parseSince('2026-03-29')).toBe(Date.UTC(2026, 2, 28, 23));
		expect(parseSince('2026-03-30')).toBe(Date.UTC(2026, 2, 29, 22));
		// That day is 23 hours long.
		expect(parseSince('2026-03-30')! - parseSince('2026-03-29')!).toBe(23 * 3600_000);
	});

	it('starts the days around the autumn change (25 October 2026) at local midnight', () => {
		expect(parseSince('2026-10-25')).toBe(Date.UTC(2026, 9, 24, 22));
		expect(parseSince('2026-10-26')).toBe(Date.UTC(2026, 9, 25, 23));
		expect(parseSince('2026-10-26')! - parseSince('2026-10-25')!).toBe(25 * 3600_000);
	});

	it('refuses anything that is not a calendar day', () => {
		for (const bad of [null, '', '2026-13-01', '2026-02-30', 'gisteren', '2026-12-01T10:00'])
			expect(parseSince(bad)).toBeNull();
	});

	it('names a moment by its day in the Netherlands, the inverse of parseSince', () => {
		for (const day of ['2020-01-01', '2026-03-29', '2026-03-30', '2026-07-15', '2026-10-25'])
			expect(dayInNetherlands(parseSince(day)!)).toBe(day);
		// 23:30 UTC on 31 December is already New Year's Day in Amsterdam.
		expect(dayInNetherlands(Date.UTC(2019, 11, 31, 23, 30))).toBe('2020-01-01');
		expect(dayInNetherlands(Date.UTC(2026, 6, 14, 21, 59))).toBe('2026-07-14');
	});
});
