/**
 * Dot voting on outcomes: rounds, ballots, budgets, tallies. Pure: imports nothing outside `domain/`.
 *
 * Ballots live in each participant's private document (never in the shared one) until the
 * facilitator reveals the round; then the server writes the tally per card per result group: per
 * perspective, except in an anonymous round, where a perspective is shown apart only when at least
 * {@link MIN_VOTERS_APART} of its people voted ({@link anonymousGroups}).
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
	/**
	 * How many people voted, counted by the server when the round is closed or revealed (the
	 * facilitator is warned before revealing an anonymous round that fewer than 3 people voted in).
	 */
	voters?: number;
}

export const VOTE_LIMITS = {
	votesPerPersonMin: 1,
	votesPerPersonMax: 20,
	defaultVotes: 3
} as const;

/** One person's votes in one round: card id → number of dots. */
export type Ballot = Readonly<Record<CardId, number>>;

/**
 * In an anonymous round, a perspective's votes are shown apart only when at least this many of its
 * people voted. With one voter the perspective's dots are that person's ballot; with two, each of
 * them can subtract their own ballot and read the other's. Smaller perspectives are counted
 * together as {@link OTHER_GROUP}, or, when even that would be smaller, only the totals are shown
 * ({@link ALL_GROUP}). The same number is the lower bound below which the facilitator is warned
 * that an anonymous round's result cannot be anonymous at all.
 */
export const MIN_VOTERS_APART = 3;

/** The result group of perspectives too small to show apart: "andere perspectieven". */
export const OTHER_GROUP = 'overig';
/** The result group when no perspective can be shown apart: only the totals. */
export const ALL_GROUP = 'samen';
export const RESULT_GROUPS = [...PERSPECTIVES, OTHER_GROUP, ALL_GROUP] as const;
/** Whose votes a count holds: one perspective, the small ones together, or everyone. */
export type ResultGroup = (typeof RESULT_GROUPS)[number];

/** A revealed tally: card id → result group (a perspective, unless anonymous) → dots. */
export type RoundResults = Readonly<Record<CardId, Partial<Record<ResultGroup, number>>>>;

export interface TallyRow {
	cardId: CardId;
	total: number;
	perGroup: Record<ResultGroup, number>;
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

function emptyGroups(): Record<ResultGroup, number> {
	return Object.fromEntries(RESULT_GROUPS.map((g) => [g, 0])) as Record<ResultGroup, number>;
}

/** One person's ballot with the perspective they joined with. */
export interface CastBallot {
	perspective: Perspective;
	ballot: Ballot;
}

/** The ballots that count (within budget, on `cardIds` when given), without empty ones. */
function countedBallots(
	round: Pick<VotingRound, 'votesPerPerson'>,
	ballots: readonly CastBallot[],
	cardIds?: ReadonlySet<CardId>
): { perspective: Perspective; entries: [CardId, number][] }[] {
	const out: { perspective: Perspective; entries: [CardId, number][] }[] = [];
	for (const { perspective, ballot } of ballots) {
		const entries = Object.entries(ballot).filter(
			([id, n]) => Number.isInteger(n) && n > 0 && (!cardIds || cardIds.has(id))
		);
		const total = entries.reduce((sum, [, n]) => sum + n, 0);
		if (entries.length && total <= round.votesPerPerson) out.push({ perspective, entries });
	}
	return out;
}

/** How many people cast a ballot that counts. */
export function countVoters(
	round: Pick<VotingRound, 'votesPerPerson'>,
	ballots: readonly CastBallot[],
	cardIds?: ReadonlySet<CardId>
): number {
	return countedBallots(round, ballots, cardIds).length;
}

/**
 * Where each perspective's votes go in an anonymous round, given how many of its people voted:
 * - a perspective with at least {@link MIN_VOTERS_APART} voters is shown apart;
 * - the smaller ones are counted together as {@link OTHER_GROUP};
 * - a difference attack (the total minus the groups shown apart) would give that combined group,
 *   so it must be empty or reach the minimum too: while it is not, the smallest group shown apart
 *   joins it;
 * - when no perspective is left apart, everyone's votes are only a total ({@link ALL_GROUP}).
 * Every count shown, and every difference of counts shown, thus holds at least
 * {@link MIN_VOTERS_APART} people, or everyone who voted.
 */
export function anonymousGroups(
	voters: Partial<Record<Perspective, number>>
): Partial<Record<Perspective, ResultGroup>> {
	const count = (p: Perspective) => voters[p] ?? 0;
	const voting = PERSPECTIVES.filter((p) => count(p) > 0);
	const apart = voting.filter((p) => count(p) >= MIN_VOTERS_APART);
	let combined = voting.filter((p) => !apart.includes(p)).reduce((sum, p) => sum + count(p), 0);
	while (combined > 0 && combined < MIN_VOTERS_APART && apart.length) {
		const smallest = apart.reduce((a, b) => (count(b) < count(a) ? b : a));
		apart.splice(apart.indexOf(smallest), 1);
		combined += count(smallest);
	}
	const groups: Partial<Record<Perspective, ResultGroup>> = {};
	for (const p of voting)
		groups[p] = apart.includes(p) ? p : apart.length ? OTHER_GROUP : ALL_GROUP;
	return groups;
}

/**
 * Adds up ballots into results per card per perspective, or, in an `anonymous` round, per result
 * group ({@link anonymousGroups}). Ballots over budget count as zero; only cards in `cardIds`
 * (when given) are counted.
 */
export function tallyBallots(
	round: Pick<VotingRound, 'votesPerPerson'> & { anonymous?: unknown },
	ballots: readonly CastBallot[],
	cardIds?: ReadonlySet<CardId>
): RoundResults {
	const counted = countedBallots(round, ballots, cardIds);
	let group = (p: Perspective): ResultGroup => p;
	if (round.anonymous) {
		const voters: Partial<Record<Perspective, number>> = {};
		for (const { perspective } of counted) voters[perspective] = (voters[perspective] ?? 0) + 1;
		const groups = anonymousGroups(voters);
		group = (p) => groups[p] ?? ALL_GROUP;
	}
	const results: Record<CardId, Partial<Record<ResultGroup, number>>> = {};
	for (const { perspective, entries } of counted) {
		const key = group(perspective);
		for (const [cardId, n] of entries) {
			const row = (results[cardId] ??= {});
			row[key] = (row[key] ?? 0) + n;
		}
	}
	return results;
}

/** Rows per card with total and per-group dots, most votes first (ties: `cardIds` order). */
export function tallyRows(results: RoundResults, cardIds: readonly CardId[] = []): TallyRow[] {
	const ids = [...new Set([...cardIds, ...Object.keys(results)])];
	const rows = ids.map((cardId) => {
		const perGroup = emptyGroups();
		let total = 0;
		for (const [g, n] of Object.entries(results[cardId] ?? {})) {
			perGroup[g as ResultGroup] += n ?? 0;
			total += n ?? 0;
		}
		return { cardId, total, perGroup };
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

/** Total dots per result group across a round (how many that group spent). */
export function perspectiveTotals(results: RoundResults): Record<ResultGroup, number> {
	const totals = emptyGroups();
	for (const row of Object.values(results))
		for (const [g, n] of Object.entries(row)) totals[g as ResultGroup] += n ?? 0;
	return totals;
}

/** The result groups that hold votes in `results`, in {@link RESULT_GROUPS} order. */
export function groupsIn(results: RoundResults): ResultGroup[] {
	const totals = perspectiveTotals(results);
	return RESULT_GROUPS.filter((g) => totals[g] > 0);
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
