import { describe, expect, it } from 'vitest';
import { REFUSALS, refusalReason } from '$lib/domain/close-codes';
import { refusedChangeKind } from '$lib/board/connection.svelte';
import { refusedChangeText } from './labels';

describe('refusedChangeText', () => {
	it('says in words why the server refused a change, for every kind the server names', () => {
		const kinds = REFUSALS.filter((kind) => kind !== 'board-full').map((kind) =>
			refusedChangeKind(refusalReason(kind, 'detail'))
		);
		for (const kind of kinds) expect(refusedChangeText(kind)).not.toMatch(/^board_/);
		const quotas = ['quota-cards', 'quota-text', 'quota-rate'] as const;
		const texts = quotas.map((q) => refusedChangeText(refusedChangeKind(refusalReason(q, 'x'))));
		expect(new Set(texts).size).toBe(3);
		expect(
			refusedChangeKind(refusalReason('byline', 'cards.authorName must be your own name'))
		).toBe('not_own');
		expect(refusedChangeKind(refusalReason('rule', 'this step is locked: card.edit refused'))).toBe(
			'locked'
		);
	});
});
