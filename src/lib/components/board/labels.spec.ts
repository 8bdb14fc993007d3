import { describe, expect, it } from 'vitest';
import { REFUSALS, refusalReason } from '$lib/domain/close-codes';
import { refusalText } from './labels';

describe('refusalText', () => {
	it('names every kind of refused write in words, not as a key', () => {
		const texts = REFUSALS.map((kind) => refusalText('forbidden', refusalReason(kind, 'detail')));
		for (const text of texts) expect(text).not.toMatch(/^board_/);
		expect(new Set(texts).size).toBe(REFUSALS.length);
	});

	it('falls back to the close code when the reason names no kind', () => {
		expect(refusalText('forbidden', 'something else')).toBe(refusalText('forbidden'));
		expect(refusalText('board_full', refusalReason('board-full', 'full'))).not.toBe(
			refusalText('board_full')
		);
	});
});
