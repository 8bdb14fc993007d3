/**
 * "Start next cycle": reflection opens a new pass through the six steps on a new board, carrying
 * the agreed ambition and the prioritised outcomes forward. The earlier cycle's board stays as it
 * was (readable history).
 */
import type * as Y from 'yjs';
import {
	addCard,
	createBoardDoc,
	markAgreed,
	setPriorityOrder,
	type Author
} from '../board/schema/index.ts';
import { cardsOf } from '../domain/cards.ts';
import { prioritisedOutcomes } from '../domain/checks.ts';
import type { BoardSnapshot } from '../domain/snapshot.ts';
import type { AppContext } from './context.ts';
import { boardIdOf } from './boards.ts';

const SERVER = 'server';

/** The next cycle's board: the agreed ambition (agreed) and the prioritised outcomes, in order. */
export function nextCycleBoard(previous: BoardSnapshot, boardId: string, themeName: string): Y.Doc {
	const doc = createBoardDoc({ boardId, themeName });
	const agreed = new Set(previous.control.agreed);
	const carry = (card: BoardSnapshot['cards'][number]) => {
		const author: Author = {
			id: card.authorId,
			name: card.authorName,
			perspective: card.perspective
		};
		return addCard(
			doc,
			{
				kind: card.kind,
				text: card.text,
				author,
				...(card.horizonYears !== undefined ? { horizonYears: card.horizonYears } : {}),
				...(card.outcomeKind ? { outcomeKind: card.outcomeKind } : {})
			},
			SERVER
		);
	};
	for (const ambition of cardsOf(previous.cards, 'ambition', 'ambition'))
		if (agreed.has(ambition.id)) markAgreed(doc, carry(ambition), true, SERVER);
	const outcomes = prioritisedOutcomes(previous).map((outcome) => {
		const id = carry(outcome);
		if (agreed.has(outcome.id)) markAgreed(doc, id, true, SERVER);
		return id;
	});
	if (outcomes.length) setPriorityOrder(doc, outcomes, SERVER);
	return doc;
}

export type NextCycleResult =
	{ ok: true; cycle: number } | { ok: false; reason: 'session-running' };

/**
 * Opens cycle n+1 of a theme. Refused while a session is running on the current cycle's board.
 */
export async function startNextCycle(
	app: AppContext,
	theme: { id: string; name: string }
): Promise<NextCycleResult> {
	const current = await app.boards.currentCycle(theme.id);
	if (await app.liveSessions.runningOnBoard(boardIdOf(theme.id, current)))
		return { ok: false, reason: 'session-running' };
	const previous = await app.boards.snapshot(boardIdOf(theme.id, current), theme.name);
	const next = current + 1;
	const doc = nextCycleBoard(previous, boardIdOf(theme.id, next), theme.name);
	await app.boards.write(boardIdOf(theme.id, next), doc);
	doc.destroy();
	return { ok: true, cycle: next };
}
