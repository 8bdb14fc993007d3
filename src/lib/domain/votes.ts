/**
 * Dot voting on outcomes: rounds, ballots, budgets, tallies. Pure: imports nothing outside `domain/`.
 *
 * Ballots live in each participant's private document (never in the shared one) until the
 * facilitator reveals the round; then the server writes the tally per card per perspective.
 */
import type { CardId, RoundId } from './ids.ts';
import type { AnonymityMode } from './anonymity.ts';
import { PERSPECTIVES, type Perspective } from './roles.ts';

export const ROUND_STATUSES = ['open', 'closed', 'revealed'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];

export interface VotingRound {
	id: RoundId;
	status: RoundStatus;
	/** Dots each participant may spend in this round. */
	votesPerPerson: number;
	createdAt: number;
	/** An anonymous round (anonymity.ts): who sees who voted. */
	anonymous?: AnonymityMode;
}

export const VOTE_LIMITS = {
	votesPerPersonMin: 1,
	votesPerPersonMax: 20,
	defaultVotes: 3
} as const;

/** One person's votes in one round: card id → number of dots. */
export type Ballot = Readonly<Record<CardId, number>>;

/** A revealed tally: card id → perspective → dots. */
export type RoundResults = Readonly<Record<CardId, Partial<Record<Perspective, number>>>>;

export interface TallyRow {
	cardId: CardId;
	total: number;
	perPerspective: Record<Perspective, number>;
}

export function isRoundStatus(value: unknown): value is RoundStatus {
	return typeof value === 'string' && (ROUND_STATUSES as readonly string[]).includes(value);
}

export function isValidVotesPerPerson(n: unknown): n is number {
	return (
		typeof n === 'number' &&
		Number.isInteger(n) &&
		n >= VOTE_LIMITS.votesPerPersonMin &&
		n <= VOTE_LIMITS.votesPerPersonMax
	);
}

/** Dots spent on a ballot. */
export function ballotTotal(ballot: Ballot): number {
	let sum = 0;
	for (const n of Object.values(ballot)) sum += n;
	return sum;
}

export type BallotProblem = 'round_not_open' | 'negative' | 'not_integer' | 'over_budget';

/** Why a ballot is not acceptable for `round`, or `null` when it is. */
export function ballotProblem(round: VotingRound, ballot: Ballot): BallotProblem | null {
	if (round.status !== 'open') return 'round_not_open';
	for (const n of Object.values(ballot)) {
		if (!Number.isInteger(n)) return 'not_integer';
		if (n < 0) return 'negative';
	}
	return ballotTotal(ballot) > round.votesPerPerson ? 'over_budget' : null;
}

/** Dots still free on a ballot. */
export function votesLeft(round: VotingRound, ballot: Ballot): number {
	return Math.max(0, round.votesPerPerson - ballotTotal(ballot));
}

/**
 * The ballot after changing the dots on `cardId` by `delta`, clamped to 0 and to the budget; returns
 * the same ballot when nothing can change.
 */
export function adjustBallot(
	round: VotingRound,
	ballot: Ballot,
	cardId: CardId,
	delta: number
): Ballot {
	const current = ballot[cardId] ?? 0;
	const wanted = Math.max(0, current + delta);
	const room = current + votesLeft(round, ballot);
	const next = Math.min(wanted, room);
	if (next === current) return ballot;
	const result: Record<CardId, number> = { ...ballot };
	if (next === 0) delete result[cardId];
	else result[cardId] = next;
	return result;
}

function emptyPerspectives(): Record<Perspective, number> {
	return Object.fromEntries(PERSPECTIVES.map((p) => [p, 0])) as Record<Perspective, number>;
}

/**
 * Adds up ballots into results per card per perspective. Ballots over budget count as zero;
 * only cards in `cardIds` (when given) are counted.
 */
export function tallyBallots(
	round: Pick<VotingRound, 'votesPerPerson'>,
	ballots: readonly { perspective: Perspective; ballot: Ballot }[],
	cardIds?: ReadonlySet<CardId>
): RoundResults {
	const results: Record<CardId, Partial<Record<Perspective, number>>> = {};
	for (const { perspective, ballot } of ballots) {
		const entries = Object.entries(ballot).filter(
			([id, n]) => Number.isInteger(n) && n > 0 && (!cardIds || cardIds.has(id))
		);
		const total = entries.reduce((sum, [, n]) => sum + n, 0);
		if (total > round.votesPerPerson) continue;
		for (const [cardId, n] of entries) {
			const row = (results[cardId] ??= {});
			row[perspective] = (row[perspective] ?? 0) + n;
		}
	}
	return results;
}

/** Rows per card with total and per-perspective dots, most votes first (ties: `cardIds` order). */
export function tallyRows(results: RoundResults, cardIds: readonly CardId[] = []): TallyRow[] {
	const ids = [...new Set([...cardIds, ...Object.keys(results)])];
	const rows = ids.map((cardId) => {
		const perPerspective = emptyPerspectives();
		let total = 0;
		for (const [p, n] of Object.entries(results[cardId] ?? {})) {
			perPerspective[p as Perspective] += n ?? 0;
			total += n ?? 0;
		}
		return { cardId, total, perPerspective };
	});
	const position = new Map(ids.map((id, i) => [id, i]));
	return rows.sort(
		(a, b) => b.total - a.total || (position.get(a.cardId) ?? 0) - (position.get(b.cardId) ?? 0)
	);
}

/** Card ids ordered by votes (most first), the suggestion for the priority order. */
export function orderByVotes(results: RoundResults, cardIds: readonly CardId[] = []): CardId[] {
	return tallyRows(results, cardIds).map((r) => r.cardId);
}

/** Total dots for one perspective across a round (how many that group spent). */
export function perspectiveTotals(results: RoundResults): Record<Perspective, number> {
	const totals = emptyPerspectives();
	for (const row of Object.values(results))
		for (const [p, n] of Object.entries(row)) totals[p as Perspective] += n ?? 0;
	return totals;
}

/** The round a board is voting in now: the newest open one, else `null`. */
export function openRound(rounds: readonly VotingRound[]): VotingRound | null {
	const open = rounds.filter((r) => r.status === 'open');
	return open.sort((a, b) => b.createdAt - a.createdAt)[0] ?? null;
}

/** The newest revealed round, else `null`. */
export function latestRevealed(rounds: readonly VotingRound[]): VotingRound | null {
	const revealed = rounds.filter((r) => r.status === 'revealed');
	return revealed.sort((a, b) => b.createdAt - a.createdAt)[0] ?? null;
}
