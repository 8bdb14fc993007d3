import { describe, expect, it } from 'vitest';
import { boardIdOf, isRecordId, newId, parseBoardId } from './ids.ts';

describe('ids', () => {
	it('makes unique, URL-safe record ids', () => {
		const ids = new Set(Array.from({ length: 1000 }, newId));
		expect(ids.size).toBe(1000);
		for (const id of ids) expect(isRecordId(id)).toBe(true);
		expect(isRecordId('a b')).toBe(false);
		expect(isRecordId('short')).toBe(false);
		expect(isRecordId(42)).toBe(false);
	});

	it('builds and parses board ids of a theme and cycle', () => {
		expect(boardIdOf('k3j2abcd', 1)).toBe('k3j2abcd.1');
		expect(parseBoardId('k3j2abcd.12')).toEqual({ themeId: 'k3j2abcd', cycle: 12 });
		expect(parseBoardId('k3j2abcd.0')).toBeNull();
		expect(parseBoardId('../etc.1')).toBeNull();
		expect(parseBoardId('k3j2abcd')).toBeNull();
		expect(() => boardIdOf('werk', 0)).toThrow(RangeError);
		expect(() => boardIdOf('a.b', 1)).toThrow(RangeError);
	});
});
