/**
 * Compass checks: the questions the Kwaliteitskompas keeps asking, computed from a board snapshot.
 * Pure: imports nothing outside `domain/`.
 *
 * A check is a question for the group, not an error: the board shows the open ones.
 */
import { cardsOf, visibleCards, type Card } from './cards.ts';
import { cardsUsing, needsAgreement } from './glossary.ts';
import type { CardId } from './ids.ts';
import { liveLinks, sourcesOf, targetsOf } from './links.ts';
import type { BoardSnapshot } from './snapshot.ts';
import { STEP_IDS, type BoardMessageKey, type StepId } from './steps.ts';

export const CHECK_CODES = [
	'no_agreed_ambition',
	'ambition_without_outcomes',
	'outcome_without_indicator',
	'activity_without_outcome',
	'indicator_unlinked',
	'indicator_without_baseline',
	'indicator_without_target',
	'glossary_term_open'
] as const;
export type CheckCode = (typeof CHECK_CODES)[number];

export interface CompassCheck {
	/** Stable across recomputations: `<code>` or `<code>:<cardId>`. */
	id: string;
	code: CheckCode;
	/** The step where the group can act on it. */
	step: StepId;
	/** The card it is about, or `null` for the whole board. */
	cardId: CardId | null;
	/** Message with a `{card}` parameter (the card's text) when `cardId` is set. */
	messageKey: BoardMessageKey;
	params: { card?: string; term?: string };
}

const STEP_OF_CHECK: Record<CheckCode, StepId> = {
	no_agreed_ambition: 'ambition',
	ambition_without_outcomes: 'outcomes',
	outcome_without_indicator: 'measurement',
	activity_without_outcome: 'activities',
	indicator_unlinked: 'measurement',
	indicator_without_baseline: 'measurement',
	indicator_without_target: 'measurement',
	// The step of the first card that uses the term (see `glossaryChecks`).
	glossary_term_open: 'ambition'
};

function check(code: CheckCode, card?: Card): CompassCheck {
	return {
		id: card ? `${code}:${card.id}` : code,
		code,
		step: STEP_OF_CHECK[code],
		cardId: card?.id ?? null,
		messageKey: `board_check_${code}`,
		params: card ? { card: card.text } : {}
	};
}

/**
 * The prioritised outcomes: the facilitator's priority order, else the outcomes marked agreed.
 */
export function prioritisedOutcomes(snapshot: BoardSnapshot): Card[] {
	const outcomes = cardsOf(snapshot.cards, 'outcomes', 'outcome');
	const byId = new Map(outcomes.map((c) => [c.id, c]));
	const ordered = snapshot.control.priorityOrder
		.map((id) => byId.get(id))
		.filter((c): c is Card => c !== undefined);
	if (ordered.length) return ordered;
	const agreed = new Set(snapshot.control.agreed);
	return outcomes.filter((c) => agreed.has(c.id));
}

/** Every open compass check on the board, in step order. */
export function compassChecks(snapshot: BoardSnapshot): CompassCheck[] {
	const { cards, control } = snapshot;
	const links = liveLinks(cards, snapshot.links);
	const agreed = new Set(control.agreed);
	const byId = new Map(cards.map((c) => [c.id, c]));
	const kindOf = (id: CardId) => byId.get(id)?.kind;
	const out: CompassCheck[] = [];

	const ambitions = cardsOf(cards, 'ambition', 'ambition');
	const agreedAmbitions = ambitions.filter((c) => agreed.has(c.id));
	const outcomes = cardsOf(cards, 'outcomes', 'outcome');
	if (agreedAmbitions.length === 0) out.push(check('no_agreed_ambition'));
	else if (outcomes.length === 0)
		for (const ambition of agreedAmbitions) out.push(check('ambition_without_outcomes', ambition));

	for (const activity of cardsOf(cards, 'activities', 'activity'))
		if (!targetsOf(links, activity.id).some((id) => kindOf(id) === 'outcome'))
			out.push(check('activity_without_outcome', activity));

	for (const outcome of prioritisedOutcomes(snapshot))
		if (!sourcesOf(links, outcome.id).some((id) => kindOf(id) === 'indicator'))
			out.push(check('outcome_without_indicator', outcome));

	for (const indicator of cardsOf(cards, 'measurement', 'indicator')) {
		if (targetsOf(links, indicator.id).length === 0)
			out.push(check('indicator_unlinked', indicator));
		if (!indicator.baseline?.trim()) out.push(check('indicator_without_baseline', indicator));
		if (!indicator.target?.trim()) out.push(check('indicator_without_target', indicator));
	}

	out.push(...glossaryChecks(snapshot));

	return out.sort((a, b) => STEP_IDS.indexOf(a.step) - STEP_IDS.indexOf(b.step));
}

/**
 * "Bedoelen we hetzelfde?": a glossary term used on a card of the board whose readings differ and
 * that the group has not agreed on yet. Clears once the term is agreed. Placed in the step of the
 * first card that uses it.
 */
export function glossaryChecks(snapshot: BoardSnapshot): CompassCheck[] {
	const out: CompassCheck[] = [];
	const cards = visibleCards(snapshot.cards);
	for (const term of snapshot.glossary ?? []) {
		if (!needsAgreement(term)) continue;
		const using = cardsUsing(cards, term);
		if (using.length === 0) continue;
		const step = using
			.map((c) => c.step)
			.sort((a, b) => STEP_IDS.indexOf(a) - STEP_IDS.indexOf(b))[0];
		out.push({
			id: `glossary_term_open:${term.id}`,
			code: 'glossary_term_open',
			step,
			cardId: null,
			messageKey: 'board_check_glossary_term_open',
			params: { term: term.term }
		});
	}
	return out;
}

/** The checks that matter once the group has reached `step` (no questions about later steps). */
export function checksUpTo(snapshot: BoardSnapshot, step: StepId): CompassCheck[] {
	const reached = STEP_IDS.indexOf(step);
	return compassChecks(snapshot).filter((c) => STEP_IDS.indexOf(c.step) <= reached);
}

/** The open checks about one card. */
export function checksForCard(checks: readonly CompassCheck[], cardId: CardId): CompassCheck[] {
	return checks.filter((c) => c.cardId === cardId);
}
