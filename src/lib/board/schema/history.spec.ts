import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, readCards } from './cards.ts';
import { readControl } from './control.ts';
import { recordSessionStarts, stampAgreements, stampCards } from './history.ts';
import { judgeChanges } from './validate.ts';

const author = { id: 'p1', name: 'Anouk', perspective: 'inwoner' as const };

describe('history stamps in the board document', () => {
	it('stamps addedAt once and changedAt every time', () => {
		const doc = new Y.Doc();
		const id = addCard(doc, { kind: 'outcome', text: 'x', author });
		stampCards(doc, [id], { now: 100 });
		stampCards(doc, [id], { now: 200 });
		expect(readCards(doc)[0]).toMatchObject({ addedAt: 100, changedAt: 200 });
		// Server work only stamps cards it has not seen yet.
		stampCards(doc, [id], { now: 300, onlyNew: true });
		expect(readCards(doc)[0]).toMatchObject({ addedAt: 100, changedAt: 200 });
	});

	it('stamps agreements with their session, and removes them again', () => {
		const doc = new Y.Doc();
		stampAgreements(doc, { agreed: ['a', 'b'], unagreed: [], session: 1, now: 10 });
		stampAgreements(doc, { agreed: ['c'], unagreed: ['b'], session: null, now: 20 });
		const control = readControl(doc);
		expect(control.agreedIn).toEqual({ a: 1 });
		expect(control.agreedAt).toEqual({ a: 10, c: 20 });
	});

	it('adds session starts without dropping imported ones', () => {
		const doc = new Y.Doc();
		recordSessionStarts(doc, [{ number: 1, startedAt: 5 }]);
		recordSessionStarts(doc, [{ number: 2, startedAt: 9 }]);
		expect(readControl(doc).sessionStarts).toEqual([
			{ number: 1, startedAt: 5 },
			{ number: 2, startedAt: 9 }
		]);
	});

	it('lets no client write the stamps, but lets a participant remove a stamped card of theirs', () => {
		const board = new Y.Doc();
		const participant = {
			role: 'participant' as const,
			byline: { authorId: 'p1', authorName: 'Anouk', perspective: 'inwoner' }
		};
		const facilitator = { ...participant, role: 'facilitator' as const };
		for (const path of [
			['cards', 'c1', 'changedAt'],
			['control', 'agreedIn', 'c1'],
			['control', 'agreedAt', 'c1'],
			['control', 'sessionStarts', '1']
		])
			for (const who of [participant, facilitator])
				expect(
					judgeChanges('board', board, [{ kind: 'insert', path, values: [1] }], who)
				).toMatchObject({
					ok: false,
					code: 'rule'
				});
		// Removing the whole record takes its stamps along.
		const removal = judgeChanges(
			'board',
			board,
			[
				{ kind: 'delete', path: ['cards', 'c1'] },
				{ kind: 'delete', path: ['cards', 'c1', 'changedAt'] }
			],
			participant
		);
		expect(removal.ok).toBe(true);
		// A record created whole may carry stamps (undo, redo); the server stamps it again.
		expect(
			judgeChanges(
				'board',
				board,
				[
					{ kind: 'insert', path: ['cards', 'c2'], values: [new Y.Map()] },
					{ kind: 'insert', path: ['cards', 'c2', 'addedAt'], values: [5] }
				],
				participant
			).ok
		).toBe(true);
		// A stamp on its own may not be removed.
		expect(
			judgeChanges(
				'board',
				board,
				[{ kind: 'delete', path: ['cards', 'c1', 'changedAt'] }],
				participant
			).ok
		).toBe(false);
	});
});
