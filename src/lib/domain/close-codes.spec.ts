import { describe, expect, it } from 'vitest';
import { REFUSALS, refusalOf, refusalReason } from './close-codes.ts';

describe('refusal reasons', () => {
	it('carry their kind first, so the client can name it', () => {
		for (const kind of REFUSALS)
			expect(refusalOf(refusalReason(kind, 'cards.text is longer than 500 characters'))).toBe(kind);
		expect(refusalOf('the board is full')).toBeNull();
		expect(refusalOf('')).toBeNull();
		expect(refusalOf(undefined)).toBeNull();
	});

	it('fit a close frame (123 bytes), also with long or non-ASCII details', () => {
		const reason = refusalReason('field', `cards.${'é'.repeat(200)}`);
		expect(new TextEncoder().encode(reason).byteLength).toBeLessThanOrEqual(123);
		expect(refusalOf(reason)).toBe('field');
	});
});
