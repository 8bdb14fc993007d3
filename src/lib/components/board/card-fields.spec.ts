import { describe, expect, it } from 'vitest';
import { CARD_KINDS, type Card } from '$lib/domain/cards';
import { changeFrom, fieldsOf, inputFrom, valuesOf } from './card-fields';

const indicator: Card = {
	id: 'card-indicator-1',
	step: 'measurement',
	kind: 'indicator',
	text: 'Terugval in de uitkering',
	authorId: 'p1',
	authorName: 'Fatima',
	perspective: 'aanbieder',
	createdAt: 1,
	order: 'a0',
	coAuthors: [],
	mergedInto: null,
	measureKind: 'tellen',
	baseline: '12%',
	horizonYears: 3
};

describe('card fields', () => {
	it('names fields in card details without a question mark (no "Over hoeveel jaar?:")', () => {
		const details = CARD_KINDS.flatMap((k) => fieldsOf(k).map((f) => f.detail()));
		expect(details.length).toBeGreaterThan(5);
		for (const d of details) expect(d).not.toMatch(/[?:]$/);
	});

	it('lists the extra fields of a kind and none for a plain note', () => {
		expect(fieldsOf('activity').map((f) => f.key)).toEqual(['owners', 'isNew', 'quality']);
		expect(fieldsOf('situation')).toEqual([]);
	});

	it('turns form values into a new card: numbers, owner lists, empty fields left out', () => {
		expect(
			inputFrom('activity', 'Maatje', {
				owners: 'De Kern, Welzijn Kampen',
				isNew: true,
				quality: ' '
			})
		).toEqual({
			kind: 'activity',
			text: 'Maatje',
			owners: ['De Kern', 'Welzijn Kampen'],
			isNew: true
		});
		expect(inputFrom('outcome', 'Minder terugval', { horizonYears: '3' })).toEqual({
			kind: 'outcome',
			text: 'Minder terugval',
			horizonYears: 3
		});
	});

	it('changes only what differs, and removes a field that was emptied', () => {
		const values = valuesOf(indicator);
		expect(values).toEqual({ measureKind: 'tellen', baseline: '12%', horizonYears: '3' });
		expect(changeFrom(indicator, indicator.text, values)).toEqual({});
		expect(
			changeFrom(indicator, 'Terugval binnen een jaar', { ...values, baseline: '', target: '8%' })
		).toEqual({ text: 'Terugval binnen een jaar', baseline: null, target: '8%' });
	});
});
