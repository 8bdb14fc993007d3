/**
 * The Yjs names the server reads and guards, in one place. The board document's shape is owned by
 * `src/lib/board/schema.ts` (BOARD-CONTRACT.md); until the server imports its constants, these are
 * the contract's spellings, so that switching is a one-line change here.
 */

/** Top-level types of the shared board document. */
export const BOARD_ROOTS = {
	meta: 'meta',
	cards: 'cards',
	links: 'links',
	comments: 'comments',
	control: 'control'
} as const;

/** Top-level types of a participant's private document. */
export const PRIVATE_ROOTS = {
	drafts: 'drafts',
	ballots: 'ballots'
} as const;

/** Record fields the write rules look at. */
export const FIELDS = {
	id: 'id',
	authorId: 'authorId',
	step: 'step',
	cardId: 'cardId',
	from: 'from',
	to: 'to'
} as const;

/** Keys inside the `control` map. */
export const CONTROL = {
	lockedSteps: 'lockedSteps',
	privateSteps: 'privateSteps',
	ended: 'ended',
	joiningOpen: 'joiningOpen',
	rounds: 'rounds',
	results: 'results'
} as const;

/** Keys of one voting round (`control.rounds.<roundId>`). */
export const ROUND = {
	status: 'status',
	votesPerPerson: 'votesPerPerson'
} as const;
