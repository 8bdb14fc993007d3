/**
 * A whole board as plain data: what readers return, what checks and exports take.
 * Pure: imports nothing outside `domain/`.
 */
import type { Card, Comment } from './cards.ts';
import type { AnonymityMode } from './anonymity.ts';
import type { SessionStart } from './history.ts';
import type { ConsentState } from './consent.ts';
import type { GlossaryTerm } from './glossary.ts';
import type { BoardId, CardId, RoundId } from './ids.ts';
import type { Link } from './links.ts';
import type { StepId } from './steps.ts';
import type { RoundResults, VotingRound } from './votes.ts';

export interface BoardMeta {
	schemaVersion: number;
	boardId: BoardId;
	themeName: string;
}

/** The facilitator's control state of a live board (written by facilitators and the server only). */
export interface BoardControl {
	currentStep: StepId;
	/** Participants' screens follow the facilitator's current step. */
	follow: boolean;
	/** Running countdown: when it ends (ms since epoch), else `null`. */
	timerEndsAt: number | null;
	/** Paused countdown: milliseconds left, else `null`. */
	timerPausedLeft: number | null;
	lockedSteps: StepId[];
	/** Steps in private-brainstorm mode: new input goes to private drafts until reveal. */
	privateSteps: StepId[];
	/** Anonymous steps (anonymity.ts) and who sees their authors. */
	anonymousSteps: Partial<Record<StepId, AnonymityMode>>;
	spotlight: CardId | null;
	joiningOpen: boolean;
	ended: boolean;
	/** Cards marked agreed (vastgesteld): the ambition, priorities, ... */
	agreed: CardId[];
	/** The priority order of outcomes fixed by the facilitator. */
	priorityOrder: CardId[];
	rounds: VotingRound[];
	/** Revealed tallies per round. */
	results: Record<RoundId, RoundResults>;
	/** Sessions (bijeenkomsten) that started on this board, in order (server-written). */
	sessionStarts: SessionStart[];
	/** The session in which each agreed card was agreed (server-written). */
	agreedIn: Record<CardId, number>;
	/** When each agreed card was agreed, ms (server-written). */
	agreedAt: Record<CardId, number>;
}

export interface BoardSnapshot {
	meta: BoardMeta;
	cards: Card[];
	links: Link[];
	comments: Comment[];
	control: BoardControl;
	/** Consent proposals and their shown results (absent in older fixtures: none). */
	consent?: ConsentState;
	/** The live glossary of the board (seeded from the trajectory's); absent in older snapshots. */
	glossary?: GlossaryTerm[];
}

export const DEFAULT_CONTROL: Readonly<BoardControl> = Object.freeze({
	currentStep: 'ambition',
	follow: true,
	timerEndsAt: null,
	timerPausedLeft: null,
	lockedSteps: [],
	privateSteps: [],
	anonymousSteps: {},
	spotlight: null,
	joiningOpen: true,
	ended: false,
	agreed: [],
	priorityOrder: [],
	rounds: [],
	results: {},
	sessionStarts: [],
	agreedIn: {},
	agreedAt: {}
});

/** An empty board, e.g. before the first sync. */
export function emptySnapshot(meta: Partial<BoardMeta> = {}): BoardSnapshot {
	return {
		meta: { schemaVersion: 0, boardId: '', themeName: '', ...meta },
		cards: [],
		links: [],
		comments: [],
		control: structuredClone({ ...DEFAULT_CONTROL })
	};
}

/** A snapshot from its parts, without links and comments whose cards no longer exist. */
export function assembleSnapshot(parts: BoardSnapshot): BoardSnapshot {
	const ids = new Set(parts.cards.map((c) => c.id));
	return {
		...parts,
		links: parts.links.filter((l) => ids.has(l.from) && ids.has(l.to)),
		comments: parts.comments.filter((c) => ids.has(c.cardId))
	};
}
