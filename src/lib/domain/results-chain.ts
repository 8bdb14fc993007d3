/**
 * The results chain (resultatenketen): ambition → outcomes in priority order → the activities that
 * serve them → the indicators that measure them, with the compass's questions attached to the cards
 * they are about. Pure: imports nothing outside `domain/`.
 *
 * The flags reuse the compass checks (`checks.ts`) and the link rules (`links.ts`); the one flag the
 * checks do not ask, "an outcome without an activity", is asked here with the same link helpers and
 * only for prioritised outcomes, like "an outcome without an indicator".
 */
import { cardsOf, type Card } from './cards.ts';
import { compassChecks, prioritisedOutcomes, type CheckCode } from './checks.ts';
import type { CardId } from './ids.ts';
import { liveLinks, sourcesOf, targetsOf } from './links.ts';
import type { BoardSnapshot } from './snapshot.ts';

export const CHAIN_FLAGS = [
	'no_agreed_ambition',
	'outcome_without_activity',
	'outcome_without_indicator',
	'activity_without_outcome',
	'indicator_unlinked'
] as const;
export type ChainFlag = (typeof CHAIN_FLAGS)[number];

/** The compass checks the chain shows in place (the others are about fields, not links). */
const FLAG_OF_CHECK: Partial<Record<CheckCode, ChainFlag>> = {
	no_agreed_ambition: 'no_agreed_ambition',
	outcome_without_indicator: 'outcome_without_indicator',
	activity_without_outcome: 'activity_without_outcome',
	indicator_unlinked: 'indicator_unlinked'
};

export interface ChainCard {
	id: CardId;
	text: string;
	flags: ChainFlag[];
}

export interface ChainOutcome extends ChainCard {
	/** 1-based place in the priority order; `null` for an outcome the group did not prioritise. */
	rank: number | null;
	/** Activities that serve it, in chain order. */
	activities: CardId[];
	/** Indicators that measure it, in board order. */
	indicators: CardId[];
}

export interface ChainActivity extends ChainCard {
	/** Outcomes it serves, highest priority first. */
	serves: CardId[];
	/** Indicators that measure it (service level), in board order. */
	indicators: CardId[];
}

export interface ChainIndicator extends ChainCard {
	/** Outcomes and activities it measures. */
	measures: CardId[];
}

export interface ResultsChain {
	/** The agreed ambition; `null` while none is agreed (then the board has the flag below). */
	ambition: ChainCard | null;
	/** Flags about the board as a whole (no agreed ambition). */
	boardFlags: ChainFlag[];
	/** Prioritised outcomes in priority order, then the others in board order. */
	outcomes: ChainOutcome[];
	/** Grouped under the highest-priority outcome they serve; those serving none come last. */
	activities: ChainActivity[];
	/** Indicators of outcomes and activities, then those that measure nothing. */
	indicators: ChainIndicator[];
}

/** The results chain of a board (shared cards only: private drafts are not part of it). */
export function resultsChain(snapshot: BoardSnapshot): ResultsChain {
	const links = liveLinks(snapshot.cards, snapshot.links);
	const flagsOf = new Map<CardId | null, ChainFlag[]>();
	for (const check of compassChecks(snapshot)) {
		const flag = FLAG_OF_CHECK[check.code];
		if (flag) flagsOf.set(check.cardId, [...(flagsOf.get(check.cardId) ?? []), flag]);
	}
	const flags = (id: CardId) => [...(flagsOf.get(id) ?? [])];

	const agreed = new Set(snapshot.control.agreed);
	const ambitionCard = cardsOf(snapshot.cards, 'ambition', 'ambition').find((c) =>
		agreed.has(c.id)
	);

	const prioritised = prioritisedOutcomes(snapshot);
	const prioritisedIds = new Set(prioritised.map((c) => c.id));
	const others = cardsOf(snapshot.cards, 'outcomes', 'outcome').filter(
		(c) => !prioritisedIds.has(c.id)
	);
	const outcomeCards = [...prioritised, ...others];
	const outcomeRank = new Map(outcomeCards.map((c, i) => [c.id, i]));

	const activityCards = cardsOf(snapshot.cards, 'activities', 'activity');
	const indicatorCards = cardsOf(snapshot.cards, 'measurement', 'indicator');
	const activityIds = new Set(activityCards.map((c) => c.id));
	const byRank = (a: CardId, b: CardId) =>
		(outcomeRank.get(a) ?? Infinity) - (outcomeRank.get(b) ?? Infinity);

	// Activities under the first outcome they serve; stable within a group (board order).
	const activities: ChainActivity[] = activityCards
		.map((card) => ({
			id: card.id,
			text: card.text,
			flags: flags(card.id),
			serves: targetsOf(links, card.id)
				.filter((id) => outcomeRank.has(id))
				.sort(byRank),
			indicators: indicatorCards.filter((i) => targetsOf(links, i.id).includes(card.id)).map(idOf)
		}))
		.map((a, i) => ({ a, i }))
		.sort(
			(x, y) =>
				(outcomeRank.get(x.a.serves[0] ?? '') ?? Infinity) -
					(outcomeRank.get(y.a.serves[0] ?? '') ?? Infinity) || x.i - y.i
		)
		.map(({ a }) => a);
	const activityOrder = new Map(activities.map((a, i) => [a.id, i]));

	const outcomes: ChainOutcome[] = outcomeCards.map((card, i) => {
		const rank = prioritisedIds.has(card.id) ? i + 1 : null;
		const sources = sourcesOf(links, card.id);
		const serving = sources
			.filter((id) => activityIds.has(id))
			.sort((a, b) => (activityOrder.get(a) ?? 0) - (activityOrder.get(b) ?? 0));
		const cardFlags = flags(card.id);
		if (rank !== null && serving.length === 0) cardFlags.unshift('outcome_without_activity');
		return {
			id: card.id,
			text: card.text,
			flags: cardFlags,
			rank,
			activities: serving,
			indicators: indicatorCards.filter((c) => sources.includes(c.id)).map(idOf)
		};
	});

	// Indicators in the order of what they measure (outcomes first), those measuring nothing last.
	const position = (id: CardId) =>
		outcomeRank.has(id)
			? (outcomeRank.get(id) ?? 0)
			: outcomeCards.length + (activityOrder.get(id) ?? activities.length);
	const indicators: ChainIndicator[] = indicatorCards
		.map((card, i) => {
			const measures = targetsOf(links, card.id)
				.filter((id) => outcomeRank.has(id) || activityIds.has(id))
				.sort((a, b) => position(a) - position(b));
			return { card, i, measures };
		})
		.sort(
			(x, y) =>
				(x.measures.length ? position(x.measures[0]!) : Infinity) -
					(y.measures.length ? position(y.measures[0]!) : Infinity) || x.i - y.i
		)
		.map(({ card, measures }) => ({
			id: card.id,
			text: card.text,
			flags: flags(card.id),
			measures
		}));

	return {
		ambition: ambitionCard ? { id: ambitionCard.id, text: ambitionCard.text, flags: [] } : null,
		boardFlags: flagsOf.get(null) ?? [],
		outcomes,
		activities,
		indicators
	};
}

function idOf(card: Pick<Card, 'id'>): CardId {
	return card.id;
}

/** Every flag in the chain with the card it is about (`null`: the board), in chain order. */
export function chainFlags(chain: ResultsChain): { cardId: CardId | null; flag: ChainFlag }[] {
	return [
		...chain.boardFlags.map((flag) => ({ cardId: null, flag })),
		...[...chain.outcomes, ...chain.activities, ...chain.indicators].flatMap((c) =>
			c.flags.map((flag) => ({ cardId: c.id, flag }))
		)
	];
}

/**
 * One row of the chain's text alternative: an outcome with the activities that serve it and the
 * indicators that measure it (the outcome's own, then its activities'), or the activities and
 * indicators that hang loose (`outcome: null`).
 */
export interface ChainRow {
	outcome: ChainOutcome | null;
	activities: (ChainActivity & { measuredBy: ChainIndicator[] })[];
	indicators: ChainIndicator[];
}

/** The chain as rows, the same for the live table and the exported one. */
export function chainRows(chain: ResultsChain): ChainRow[] {
	const activityById = new Map(chain.activities.map((a) => [a.id, a]));
	const indicatorById = new Map(chain.indicators.map((i) => [i.id, i]));
	const withMeasures = (a: ChainActivity) => ({
		...a,
		measuredBy: a.indicators.map((id) => indicatorById.get(id)).filter(isDefined)
	});
	const rows: ChainRow[] = chain.outcomes.map((outcome) => ({
		outcome,
		activities: outcome.activities
			.map((id) => activityById.get(id))
			.filter(isDefined)
			.map(withMeasures),
		indicators: outcome.indicators.map((id) => indicatorById.get(id)).filter(isDefined)
	}));
	const looseActivities = chain.activities.filter((a) => a.serves.length === 0);
	const looseIndicators = chain.indicators.filter((i) => i.measures.length === 0);
	if (looseActivities.length || looseIndicators.length)
		rows.push({
			outcome: null,
			activities: looseActivities.map(withMeasures),
			indicators: looseIndicators
		});
	return rows;
}

function isDefined<T>(value: T | undefined): value is T {
	return value !== undefined;
}
