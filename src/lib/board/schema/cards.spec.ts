/** Card records: one Y.Map per card, validated writers, order. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addCard,
	BoardWriteError,
	createBoardDoc,
	moveCard,
	readCard,
	readCards,
	ROOT,
	updateCard,
	type Author
} from './index.ts';

const gemeente: Author = { id: 'p-gemeente', name: 'Anouk', perspective: 'gemeente' };
const kern: Author = { id: 'p-kern', name: 'Bram', perspective: 'aanbieder' };

describe('cards', () => {
	it('stores one nested Y.Map per card and reads it back as a domain object', () => {
		const doc = createBoardDoc({ boardId: 'werk.1', themeName: 'Werk' });
		const id = addCard(doc, {
			kind: 'outcome',
			text: '  Minder inwoners vallen terug in de uitkering ',
			horizonYears: 3,
			outcomeKind: 'inhoudelijk',
			author: gemeente,
			createdAt: 1000
		});
		expect(doc.getMap(ROOT.cards).get(id)).toBeInstanceOf(Y.Map);
		expect(readCard(doc, id)).toMatchObject({
			id,
			step: 'outcomes',
			kind: 'outcome',
			text: 'Minder inwoners vallen terug in de uitkering',
			authorId: 'p-gemeente',
			authorName: 'Anouk',
			perspective: 'gemeente',
			createdAt: 1000,
			horizonYears: 3,
			outcomeKind: 'inhoudelijk',
			coAuthors: [],
			mergedInto: null
		});
	});

	it('refuses invalid input with BoardWriteError', () => {
		const doc = createBoardDoc();
		expect(() => addCard(doc, { kind: 'outcome', text: '   ', author: gemeente })).toThrow(
			BoardWriteError
		);
		expect(() =>
			addCard(doc, { kind: 'ambition', text: 'x', author: gemeente, step: 'outcomes' })
		).toThrow(BoardWriteError);
		expect(() =>
			addCard(doc, { kind: 'situation', text: 'x', horizonYears: 3, author: gemeente })
		).toThrow(BoardWriteError);
		expect(readCards(doc)).toHaveLength(0);
	});

	it('orders new cards after the last one of the step and moves between neighbours', () => {
		const doc = createBoardDoc();
		const a = addCard(doc, { kind: 'outcome', text: 'A', author: gemeente });
		const b = addCard(doc, { kind: 'outcome', text: 'B', author: gemeente });
		const c = addCard(doc, { kind: 'outcome', text: 'C', author: gemeente });
		expect(readCards(doc).map((x) => x.text)).toEqual(['A', 'B', 'C']);
		moveCard(doc, c, { after: a, before: b });
		expect(readCards(doc).map((x) => x.text)).toEqual(['A', 'C', 'B']);
		moveCard(doc, a, { after: b, before: null });
		expect(readCards(doc).map((x) => x.text)).toEqual(['C', 'B', 'A']);
	});

	it('updates only the given fields and removes a field with null', () => {
		const doc = createBoardDoc();
		const id = addCard(doc, {
			kind: 'indicator',
			text: 'Terugval in de uitkering',
			baseline: '12%',
			target: '8%',
			author: gemeente
		});
		updateCard(doc, id, { target: '6%', baseline: null });
		const card = readCard(doc, id);
		expect(card?.target).toBe('6%');
		expect(card?.baseline).toBeUndefined();
		expect(card?.text).toBe('Terugval in de uitkering');
		expect(() => updateCard(doc, id, { horizonYears: 99 })).toThrow(BoardWriteError);
	});

	it('stores activity owners as a list', () => {
		const doc = createBoardDoc();
		const id = addCard(doc, {
			kind: 'activity',
			text: 'Maatje helpt thuis na de start van werk',
			owners: ['De Kern', ' Welzijn Kampen ', 'De Kern'],
			isNew: false,
			author: kern
		});
		expect(readCard(doc, id)?.owners).toEqual(['De Kern', 'Welzijn Kampen']);
	});
});
