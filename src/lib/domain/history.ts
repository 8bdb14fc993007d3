/**
 * Kampen's two-session pattern: which session (bijeenkomst) agreed what, and what changed since a
 * moment ("wat is er veranderd sinds …"). Pure: imports nothing outside `domain/`.
 *
 * The times come from the server, never from a device: when a card is first seen (`addedAt`), last
 * changed (`changedAt`) and agreed (`control.agreedAt`), and when each session on the board started
 * (`control.sessionStarts`); the session number of an agreement is stamped at that moment
 * (`control.agreedIn`). Cards from before these stamps fall back to their `createdAt`.
 */
import { cardsOf, type Card } from './cards.ts';
import type { CardId } from './ids.ts';
import { STEP_IDS, type StepId } from './steps.ts';

/** A session that started on the board: its number (1 = the first) and when. */
export interface SessionStart {
	number: number;
	startedAt: number;
}

/** What the history rules read of the control state. */
export interface HistoryControl {
	agreed: readonly CardId[];
	agreedIn: Readonly<Record<CardId, number>>;
	agreedAt: Readonly<Record<CardId, number>>;
	sessionStarts: readonly SessionStart[];
}

export interface BoardChanges {
	/** Since when (ms since the epoch). */
	since: number;
	/** Cards that appeared since then, in step and board order. */
	added: Card[];
	/** Cards that were already there and changed since then. */
	changed: Card[];
	/** Cards agreed since then (and still agreed). */
	agreed: Card[];
}

/** Most sessions one board counts (keys of `sessionStarts`). */
export const MAX_SESSIONS = 9999;

/** When the card first reached the board (server time; older cards: their creation time). */
export const addedAt = (card: Pick<Card, 'addedAt' | 'createdAt'>): number =>
	card.addedAt ?? card.createdAt;

/** When the card last changed (server time; older cards: when they were added). */
export const changedAt = (card: Pick<Card, 'addedAt' | 'changedAt' | 'createdAt'>): number =>
	card.changedAt ?? addedAt(card);

/** Visible cards in step order, then board order. */
function inOrder(cards: readonly Card[]): Card[] {
	return STEP_IDS.flatMap((step: StepId) => cardsOf(cards, step));
}

/** What was added, changed and agreed on a board since `since`. */
export function changesSince(
	snapshot: { cards: readonly Card[]; control: Pick<HistoryControl, 'agreed' | 'agreedAt'> },
	since: number
): BoardChanges {
	const cards = inOrder(snapshot.cards);
	const agreed = new Set(snapshot.control.agreed);
	return {
		since,
		added: cards.filter((c) => addedAt(c) >= since),
		changed: cards.filter((c) => addedAt(c) < since && changedAt(c) >= since),
		agreed: cards.filter(
			(c) => agreed.has(c.id) && (snapshot.control.agreedAt[c.id] ?? -Infinity) >= since
		)
	};
}

/** The sessions in order of their number. */
export function sessionsInOrder(control: Pick<HistoryControl, 'sessionStarts'>): SessionStart[] {
	return [...control.sessionStarts].sort((a, b) => a.number - b.number);
}

/** The latest session that started on the board, or null ("sinds de vorige bijeenkomst"). */
export function latestSession(control: Pick<HistoryControl, 'sessionStarts'>): SessionStart | null {
	return sessionsInOrder(control).at(-1) ?? null;
}

/** The session in which a card was agreed ("vastgesteld in bijeenkomst N"), or null. */
export function agreedInSession(
	control: Pick<HistoryControl, 'agreed' | 'agreedIn'>,
	cardId: CardId
): number | null {
	if (!control.agreed.includes(cardId)) return null;
	return control.agreedIn[cardId] ?? null;
}

/**
 * The number a session gets on its board: its place among the board's started sessions by start
 * time (1 = the first); null when it has not started.
 */
export function sessionNumbers(
	sessions: readonly { id: string; startedAt: number | null }[]
): Map<string, number> {
	const started = sessions
		.filter((s): s is { id: string; startedAt: number } => s.startedAt !== null)
		.sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id));
	return new Map(started.map((s, i) => [s.id, i + 1]));
}
