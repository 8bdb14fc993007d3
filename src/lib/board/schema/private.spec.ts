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
	revealStep,
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

	describe('an anonymous reveal of several people', () => {
		/** Two people with three drafts each, written one after the other. */
		function twoWriters() {
			const shared = createBoardDoc();
			const docs = [createPrivateDoc(), createPrivateDoc()];
			const ids = [gemeente, kern].map((author, w) =>
				[0, 1, 2].map((i) =>
					addDraft(docs[w]!, { kind: 'situation', text: `${author.name} ${i}`, author })
				)
			);
			return { shared, docs, ids };
		}
		/** The shared cards of the step in board order. */
		const inOrder = (shared: Y.Doc) => readCards(shared).map((c) => c.text);

		it("mixes the authors' cards, in the board order and in the update that carries them", () => {
			const { shared, docs } = twoWriters();
			let calls = 0;
			// A fixed "random" sequence that swaps the two people's cards into each other.
			const random = () => [0.1, 0.9, 0.3, 0.7, 0.5][calls++ % 5]!;
			const update: Uint8Array[] = [];
			shared.on('update', (u: Uint8Array) => update.push(u));
			revealStep(shared, docs, 'ambition', { anonymous: 'hidden', now: 5000, random });
			const texts = inOrder(shared);
			expect(texts).toHaveLength(6);
			const authorOf = (t: string) => t.split(' ')[0];
			// Not three of one then three of the other.
			expect(
				authorOf(texts[0]!) === authorOf(texts[1]!) && authorOf(texts[1]!) === authorOf(texts[2]!)
			).toBe(false);
			// One update in the shared doc, whose struct order is the shuffled order too.
			expect(update).toHaveLength(1);
			const replay = createBoardDoc();
			Y.applyUpdate(replay, update[0]!);
			expect(inOrder(replay)).toEqual(texts);
			const inUpdate = texts.map((t) => Buffer.from(update[0]!).indexOf(t));
			expect([...inUpdate].sort((a, b) => a - b)).toEqual(inUpdate);
			// One time stamp and no byline.
			for (const card of readCards(shared)) {
				expect(card.createdAt).toBe(5000);
				expect(card.authorId).toBe('');
			}
			expect(docs.flatMap((d) => readDrafts(d))).toEqual([]);
		});

		it('keeps authors, their order and their times when the step is not anonymous', () => {
			const { shared, docs, ids } = twoWriters();
			expect(revealStep(shared, docs, 'ambition', { now: 5000 })).toEqual(ids.flat());
			expect(inOrder(shared)).toEqual([
				'Anouk 0',
				'Anouk 1',
				'Anouk 2',
				'Bram 0',
				'Bram 1',
				'Bram 2'
			]);
			expect(readCards(shared).every((c) => c.createdAt !== 5000 && c.authorId)).toBe(true);
		});
	});
});
