import { describe, expect, it } from 'vitest';
import { hyphenate } from './hyphenate';

describe('hyphenate', () => {
	it('puts soft hyphens only between the syllables of "Maatschappelijke"', () => {
		const out = hyphenate('2. Maatschappelijke resultaten');
		expect(out.split('\u00ad')).toEqual(['2. Maat', 'schap', 'pe', 'lij', 'ke resultaten']);
		expect(out).not.toContain('Maatschapp\u00ad');
		expect(out.replaceAll('\u00ad', '')).toBe('2. Maatschappelijke resultaten');
	});

	it('leaves other text alone', () => {
		expect(hyphenate('Ambitie')).toBe('Ambitie');
	});
});
