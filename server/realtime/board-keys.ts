/**
 * The Yjs names the server reads and guards. The board document's shape is owned by
 * `src/lib/board/schema.ts` (BOARD-CONTRACT.md); this module only picks the constants the server
 * needs from there, so that the server never spells a key itself.
 */
import {
	CARD,
	COMMENT,
	CONTROL as SCHEMA_CONTROL,
	LINK,
	PRIVATE_ROOT,
	ROOT,
	ROUND as SCHEMA_ROUND
} from '../../src/lib/board/schema.ts';

export { migrate, SERVER_ORIGIN } from '../../src/lib/board/schema.ts';

/** Top-level types of the shared board document. */
export const BOARD_ROOTS = ROOT;

/** Top-level types of a participant's private document. */
export const PRIVATE_ROOTS = PRIVATE_ROOT;

/** Record fields the write rules look at. */
export const FIELDS = {
	id: CARD.id,
	authorId: CARD.authorId,
	step: CARD.step,
	cardId: COMMENT.cardId,
	from: LINK.from,
	to: LINK.to
} as const;

/** Keys inside the `control` map. */
export const CONTROL = SCHEMA_CONTROL;

/** Keys of one voting round (`control.rounds.<roundId>`). */
export const ROUND = SCHEMA_ROUND;
