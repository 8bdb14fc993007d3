/**
 * What the vote chart draws: per outcome a bar split into perspectives, for one revealed round or
 * for all revealed rounds side by side. Pure: imports nothing outside `domain/`.
 */
import type { CardId, RoundId } from './ids.ts';
import {
	RESULT_GROUPS,
	tallyRows,
	type ResultGroup,
	type RoundResults,
	type VotingRound
} from './votes.ts';

export interface ChartSegment {
	/** A perspective, or in an anonymous round the small ones together or everyone (votes.ts). */
	perspective: ResultGroup;
	count: number;
}

export interface ChartBar {
	roundId: RoundId;
	/** 1-based number of the round among all rounds of the board, oldest first. */
	number: number;
	total: number;
	/** Perspectives with votes, in the fixed perspective order (the legend's). */
	segments: ChartSegment[];
}

export interface ChartRow {
	cardId: CardId;
	/** One bar per shown round, oldest first. */
	bars: ChartBar[];
}

export interface VoteChart {
	/** The rounds shown, oldest first, with their numbers. */
	rounds: { id: RoundId; number: number }[];
	/** How many rounds the board has had (open and closed ones included): "ronde 2 van 3". */
	roundCount: number;
	/** Outcomes, most votes first in the newest shown round (ties keep the given card order). */
	rows: ChartRow[];
	/** The largest total of any bar: every bar is drawn on this one scale. */
	max: number;
	/** Perspectives (or groups) that have votes in any shown bar (what the legend lists). */
	perspectives: ResultGroup[];
}

/** Rounds oldest first. */
function chronological(rounds: readonly VotingRound[]): VotingRound[] {
	return [...rounds].sort((a, b) => a.createdAt - b.createdAt);
}

/** The revealed rounds with their number among all rounds, oldest first. */
export function revealedRounds(
	rounds: readonly VotingRound[]
): { id: RoundId; number: number; votesPerPerson: number }[] {
	return chronological(rounds)
		.map((r, i) => ({ round: r, number: i + 1 }))
		.filter(({ round }) => round.status === 'revealed')
		.map(({ round, number }) => ({ id: round.id, number, votesPerPerson: round.votesPerPerson }));
}

/**
 * The chart of the given revealed rounds (default: the newest) over `cardIds` (the outcomes still on
 * the board; votes on cards that are gone are left out).
 */
export function voteChart(
	rounds: readonly VotingRound[],
	results: Readonly<Record<RoundId, RoundResults>>,
	cardIds: readonly CardId[],
	show?: readonly RoundId[]
): VoteChart {
	const revealed = revealedRounds(rounds);
	const wanted = show ? new Set(show) : new Set(revealed.slice(-1).map((r) => r.id));
	const shown = revealed.filter((r) => wanted.has(r.id));
	const onBoard = new Set(cardIds);
	const newest = shown.at(-1);
	const order = newest
		? tallyRows(results[newest.id] ?? {}, cardIds)
				.map((r) => r.cardId)
				.filter((id) => onBoard.has(id))
		: [...cardIds];
	const used = new Set<ResultGroup>();
	let max = 0;
	const rows = order.map((cardId) => ({
		cardId,
		bars: shown.map((round) => {
			const tally = results[round.id]?.[cardId] ?? {};
			const segments = RESULT_GROUPS.map((perspective) => ({
				perspective,
				count: tally[perspective] ?? 0
			})).filter((s) => s.count > 0);
			const total = segments.reduce((sum, s) => sum + s.count, 0);
			for (const s of segments) used.add(s.perspective);
			max = Math.max(max, total);
			return { roundId: round.id, number: round.number, total, segments };
		})
	}));
	return {
		rounds: shown.map(({ id, number }) => ({ id, number })),
		roundCount: rounds.length,
		rows,
		max,
		perspectives: RESULT_GROUPS.filter((p) => used.has(p))
	};
}
