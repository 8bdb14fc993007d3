import { describe, expect, it } from 'vitest';
import { parseSince } from './since.ts';

describe('parseSince', () => {
	it('reads a calendar day as its start in UTC and refuses anything else', () => {
		expect(parseSince('2026-12-01')).toBe(Date.UTC(2026, 11, 1));
		for (const bad of [null, '', '2026-13-01', '2026-02-30', 'gisteren', '2026-12-01T10:00'])
			expect(parseSince(bad)).toBeNull();
	});
});
