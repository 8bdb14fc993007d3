/**
 * Anonymous rounds whose authors are hidden from facilitators too (src/lib/domain/anonymity.ts):
 * while one runs, facilitators may not hold a participant's private document, where drafts and
 * ballots still carry who wrote them. The facilitator's page stops watching drafts by itself; this
 * is the server's side of it: such sockets are closed and not let in again until the round is over.
 */
import type * as Y from 'yjs';
import { hiddenFromFacilitators } from '../../src/lib/domain/anonymity.ts';
import { mapIn, readControl, ROOT } from '../../src/lib/board/schema/index.ts';

/** Reason of the close (code 1001: the client reconnects later, nothing is refused). */
export const HIDDEN_REASON = 'anonymous round: authors are hidden';

/** Whether facilitators are kept out of private documents of this board now. */
export function facilitatorsKeptOut(board: Y.Doc): boolean {
	return hiddenFromFacilitators(readControl(board));
}

/**
 * Calls `keepOut` after every transaction that changes the board's control state while
 * facilitators are kept out of private documents. Returns the cleanup.
 */
export function watchAnonymity(board: Y.Doc, keepOut: () => void): () => void {
	const onTransaction = (tr: Y.Transaction) => {
		const control = mapIn(board, ROOT.control);
		if (!control) return;
		let touched = false;
		for (const type of tr.changedParentTypes.keys())
			if ((type as unknown) === control) touched = true;
		if (touched && facilitatorsKeptOut(board)) keepOut();
	};
	board.on('afterTransaction', onTransaction);
	return () => board.off('afterTransaction', onTransaction);
}
