import { describe, expect, it } from 'vitest';
import {
	formatJoinCode,
	generateJoinCode,
	isJoinCode,
	JOIN_CODE_ALPHABET,
	JOIN_CODE_LENGTH,
	normaliseJoinCode,
	uniqueJoinCode
} from './join-codes.ts';

describe('join codes', () => {
	it('uses an alphabet without look-alikes', () => {
		for (const lookAlike of ['0', 'O', '1', 'I', 'L'])
			expect(JOIN_CODE_ALPHABET).not.toContain(lookAlike);
		expect(new Set(JOIN_CODE_ALPHABET).size).toBe(JOIN_CODE_ALPHABET.length);
		expect(JOIN_CODE_ALPHABET).toMatch(/^[A-Z2-9]+$/);
	});

	it('generates codes of at least 6 characters from that alphabet only', () => {
		expect(JOIN_CODE_LENGTH).toBeGreaterThanOrEqual(6);
		const seen = new Set<string>();
		for (let i = 0; i < 2000; i++) {
			const code = generateJoinCode();
			expect(code).toHaveLength(JOIN_CODE_LENGTH);
			for (const char of code) expect(JOIN_CODE_ALPHABET).toContain(char);
			expect(isJoinCode(code)).toBe(true);
			seen.add(code);
		}
		// 2,000 draws from 887 million codes: a repeat would point at a broken generator.
		expect(seen.size).toBe(2000);
	});

	it('skips biased bytes instead of folding them with a modulo', () => {
		const bytes = [255, 254, 0, 1, 2, 3, 4, 5];
		const code = generateJoinCode((buffer) => {
			buffer.set(bytes.slice(0, buffer.length));
			return buffer;
		});
		expect(code).toBe(JOIN_CODE_ALPHABET.slice(0, 6));
	});

	it('is case-insensitive and forgiving about spaces and dashes', () => {
		expect(normaliseJoinCode(' abc-def ')).toBe('ABCDEF');
		expect(normaliseJoinCode('AbC dEf')).toBe('ABCDEF');
		expect(isJoinCode(normaliseJoinCode('k3m 9xq'))).toBe(true);
		expect(formatJoinCode('ABCDEF')).toBe('ABC DEF');
	});

	it('refuses look-alikes, wrong lengths and lower case that was not normalised', () => {
		expect(isJoinCode('ABCDE0')).toBe(false);
		expect(isJoinCode('ABCDEO')).toBe(false);
		expect(isJoinCode('ABCDE1')).toBe(false);
		expect(isJoinCode('ABCDEL')).toBe(false);
		expect(isJoinCode('ABCDE')).toBe(false);
		expect(isJoinCode('ABCDEFG')).toBe(false);
		expect(isJoinCode('abcdef')).toBe(false);
	});

	it('picks a code nobody uses yet, and gives up rather than loop forever', () => {
		const taken = new Set(['AAAAAA', 'BBBBBB']);
		const queue = ['AAAAAA', 'BBBBBB', 'CCCCCC'];
		expect(
			uniqueJoinCode(
				(c) => taken.has(c),
				() => queue.shift() as string
			)
		).toBe('CCCCCC');
		expect(() =>
			uniqueJoinCode(
				() => true,
				() => 'AAAAAA',
				5
			)
		).toThrow();
	});
});
