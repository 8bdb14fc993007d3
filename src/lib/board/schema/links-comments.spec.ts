/** Links, comments and the facilitator's merge. */
import { describe, expect, it } from 'vitest';
import {
	addCard,
	addComment,
	addLink,
	createBoardDoc,
	deleteCard,
	mergeCards,
	readBoardSnapshot,
	readCard,
	readComments,
	readLinks,
	type Author
} from './index.ts';

const gemeente: Author = { id: 'p-gemeente', name: 'Anouk', perspective: 'gemeente' };
const kern: Author = { id: 'p-kern', name: 'Bram', perspective: 'aanbieder' };

describe('links, comments, merge', () => {
	it('links an activity to an outcome and refuses pairs the compass does not allow', () => {
		const doc = createBoardDoc();
		const outcome = addCard(doc, { kind: 'outcome', text: 'Minder terugval', author: gemeente });
		const activity = addCard(doc, { kind: 'activity', text: 'Maatje', author: kern });
		const id = addLink(doc, { from: activity, to: outcome, authorId: kern.id });
		expect(readLinks(doc)).toEqual([{ id, from: activity, to: outcome, authorId: kern.id }]);
		expect(() => addLink(doc, { from: outcome, to: activity, authorId: kern.id })).toThrow(
			/not_allowed/
		);
		expect(() => addLink(doc, { from: activity, to: outcome, authorId: kern.id })).toThrow(
			/duplicate/
		);
	});

	it('drops links and comments of deleted cards from the snapshot', () => {
		const doc = createBoardDoc();
		const outcome = addCard(doc, { kind: 'outcome', text: 'Minder terugval', author: gemeente });
		const activity = addCard(doc, { kind: 'activity', text: 'Maatje', author: kern });
		addLink(doc, { from: activity, to: outcome, authorId: kern.id });
		addComment(doc, { cardId: activity, text: 'Goed idee', author: gemeente });
		deleteCard(doc, activity);
		const snapshot = readBoardSnapshot(doc);
		expect(snapshot.links).toEqual([]);
		expect(snapshot.comments).toEqual([]);
		expect(readLinks(doc)).toHaveLength(1);
	});

	it('merges duplicates keeping both authors and moving links and comments', () => {
		const doc = createBoardDoc();
		const target = addCard(doc, { kind: 'outcome', text: 'Minder terugval', author: gemeente });
		const dup = addCard(doc, {
			kind: 'outcome',
			text: 'Minder mensen terug in uitkering',
			author: kern
		});
		const activity = addCard(doc, { kind: 'activity', text: 'Maatje', author: kern });
		addLink(doc, { from: activity, to: dup, authorId: kern.id });
		addComment(doc, { cardId: dup, text: 'Zelfde als die van Anouk', author: kern });
		mergeCards(doc, target, [dup]);
		expect(readCard(doc, dup)?.mergedInto).toBe(target);
		expect(readCard(doc, target)?.coAuthors).toEqual(['Bram']);
		expect(readLinks(doc).map((l) => [l.from, l.to])).toEqual([[activity, target]]);
		expect(readComments(doc, target)).toHaveLength(1);
	});
});
