/** The private document: drafts and ballots. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addCard,
	addDraft,
	BoardWriteError,
	createBoardDoc,
	createPrivateDoc,
	readBallot,
	readCard,
	readCards,
	readDrafts,
	revealDrafts,
	setVotes,
	type Author
} from './index.ts';

const gemeente: Author = { id: 'p-gemeente', name: 'Anouk', perspective: 'gemeente' };
const kern: Author = { id: 'p-kern', name: 'Bram', perspective: 'aanbieder' };

describe('private doc', () => {
	it('keeps drafts out of the shared doc until revealDrafts moves them', () => {
		const shared = createBoardDoc();
		const mine = createPrivateDoc();
		addCard(shared, { kind: 'ambition', text: 'Al zichtbaar', author: gemeente });
		const draft = addDraft(mine, { kind: 'ambition', text: 'Nog geheim', author: kern });
		expect(readCards(shared).map((c) => c.text)).toEqual(['Al zichtbaar']);
		expect(readDrafts(mine, 'ambition').map((c) => c.text)).toEqual(['Nog geheim']);
		expect(Buffer.from(Y.encodeStateAsUpdate(shared)).toString('utf8')).not.toContain('Nog geheim');
		expect(revealDrafts(shared, mine, 'outcomes')).toEqual([]);
		expect(revealDrafts(shared, mine, 'ambition')).toEqual([draft]);
		expect(readCards(shared).map((c) => c.text)).toEqual(['Al zichtbaar', 'Nog geheim']);
		expect(readCard(shared, draft)?.authorId).toBe(kern.id);
		expect(readDrafts(mine)).toEqual([]);
	});

	it('stores ballots per round and card', () => {
		const mine = createPrivateDoc();
		setVotes(mine, 'r1', 'c1', 2);
		setVotes(mine, 'r1', 'c2', 1);
		setVotes(mine, 'r1', 'c2', 0);
		expect(readBallot(mine, 'r1')).toEqual({ c1: 2 });
		expect(readBallot(mine, 'r2')).toEqual({});
		expect(() => setVotes(mine, 'r1', 'c1', -1)).toThrow(BoardWriteError);
	});
});
