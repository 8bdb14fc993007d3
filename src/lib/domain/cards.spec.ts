import { describe, expect, it } from 'vitest';
import {
	authorsOf,
	cardsOf,
	cleanOwners,
	LIMITS,
	validateCard,
	validateCardInput,
	validateCardPatch,
	validateComment,
	visibleCards
} from './cards.ts';
import { kampenWerk } from './kampen-werk.fixture.ts';

describe('card validation', () => {
	it('accepts the Kampen werk cards', () => {
		for (const card of kampenWerk().cards) expect(validateCard(card), card.id).toEqual([]);
	});

	it('requires text and limits its length', () => {
		expect(validateCardInput({ kind: 'ambition', text: '  ' })).toEqual([
			{ field: 'text', code: 'required' }
		]);
		expect(validateCardInput({ kind: 'ambition', text: 'x'.repeat(LIMITS.cardText + 1) })).toEqual([
			{ field: 'text', code: 'too_long' }
		]);
		expect(validateCardInput({ kind: 'ambition', text: 'x'.repeat(LIMITS.cardText) })).toEqual([]);
	});

	it('refuses fields that do not belong to the kind, and a kind in the wrong step', () => {
		expect(validateCardInput({ kind: 'situation', text: 'Cijfers', baseline: '18%' })).toEqual([
			{ field: 'baseline', code: 'wrong_kind' }
		]);
		expect(validateCardInput({ kind: 'outcome', text: 'Minder terugval' }, 'activities')).toEqual([
			{ field: 'kind', code: 'wrong_kind' }
		]);
	});

	it('checks horizon, kinds, owners and short fields', () => {
		expect(validateCardPatch('outcome', { horizonYears: 0 })).toEqual([
			{ field: 'horizonYears', code: 'out_of_range' }
		]);
		expect(validateCardPatch('outcome', { horizonYears: 2.5 })).toEqual([
			{ field: 'horizonYears', code: 'invalid' }
		]);
		expect(validateCardPatch('outcome', { outcomeKind: 'anders' as unknown as 'proces' })).toEqual([
			{ field: 'outcomeKind', code: 'invalid' }
		]);
		expect(validateCardPatch('activity', { owners: ['De Kern, Welzijn'] })).toEqual([
			{ field: 'owners', code: 'invalid' }
		]);
		expect(validateCardPatch('indicator', { target: 'x'.repeat(LIMITS.field + 1) })).toEqual([
			{ field: 'target', code: 'too_long' }
		]);
		expect(validateCardPatch('indicator', { measureKind: 'tellen', target: '12%' })).toEqual([]);
	});

	it('finds a malformed stored card', () => {
		const card = {
			...kampenWerk().cards[0],
			step: 'outcomes' as const,
			perspective: 'x' as 'gemeente'
		};
		expect(validateCard(card).map((i) => i.field)).toEqual(['step', 'perspective']);
	});

	it('limits comments', () => {
		expect(validateComment('Goed idee')).toEqual([]);
		expect(validateComment('')).toEqual([{ field: 'text', code: 'required' }]);
	});
});

describe('card helpers', () => {
	it('lists visible cards of a step in board order', () => {
		const snapshot = kampenWerk();
		snapshot.cards[3].mergedInto = 'amb-werk';
		expect(cardsOf(snapshot.cards, 'ambition', 'ambition').map((c) => c.id)).toEqual(['amb-werk']);
		expect(cardsOf(snapshot.cards, 'ambition').map((c) => c.id)).toEqual([
			'sit-leerwerk',
			'sit-terugval',
			'amb-werk'
		]);
		expect(visibleCards(snapshot.cards)).toHaveLength(snapshot.cards.length - 1);
	});

	it('cleans owners and lists all authors', () => {
		expect(cleanOwners([' De Kern', 'de kern', '', 'Welzijn Kampen'])).toEqual([
			'De Kern',
			'Welzijn Kampen'
		]);
		expect(authorsOf({ authorName: 'Anouk', coAuthors: ['Bram', 'Anouk'] })).toEqual([
			'Anouk',
			'Bram'
		]);
	});
});
