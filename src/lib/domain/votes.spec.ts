import { describe, expect, it } from 'vitest';
import {
	adjustBallot,
	ballotProblem,
	isValidVotesPerPerson,
	latestRevealed,
	openRound,
	orderByVotes,
	perspectiveTotals,
	tallyBallots,
	tallyRows,
	votesLeft,
	type Ballot,
	type VotingRound
} from './votes.ts';
import type { Perspective } from './roles.ts';

const round: VotingRound = { id: 'r1', status: 'open', votesPerPerson: 3, createdAt: 1 };

describe('ballots', () => {
	it('checks the budget and the round status', () => {
		expect(ballotProblem(round, { 'out-terugval': 2, 'out-doorstroom': 1 })).toBeNull();
		expect(ballotProblem(round, { 'out-terugval': 4 })).toBe('over_budget');
		expect(ballotProblem(round, { 'out-terugval': -1 })).toBe('negative');
		expect(ballotProblem(round, { 'out-terugval': 1.5 })).toBe('not_integer');
		expect(ballotProblem({ ...round, status: 'closed' }, {})).toBe('round_not_open');
		expect(votesLeft(round, { 'out-terugval': 2 })).toBe(1);
	});

	it('adjusts a ballot within the budget and never below zero', () => {
		let ballot = adjustBallot(round, {}, 'out-terugval', 1);
		ballot = adjustBallot(round, ballot, 'out-terugval', 1);
		ballot = adjustBallot(round, ballot, 'out-doorstroom', 5);
		expect(ballot).toEqual({ 'out-terugval': 2, 'out-doorstroom': 1 });
		const same = adjustBallot(round, ballot, 'out-doorstroom', 1);
		expect(same).toBe(ballot);
		expect(adjustBallot(round, ballot, 'out-doorstroom', -3)).toEqual({ 'out-terugval': 2 });
	});

	it('validates votes per person', () => {
		expect(isValidVotesPerPerson(3)).toBe(true);
		expect(isValidVotesPerPerson(0)).toBe(false);
		expect(isValidVotesPerPerson(21)).toBe(false);
		expect(isValidVotesPerPerson('3')).toBe(false);
	});
});

describe('tally', () => {
	const ballots: { perspective: Perspective; ballot: Ballot }[] = [
		{ perspective: 'gemeente', ballot: { 'out-terugval': 2, 'out-doorstroom': 1 } },
		{ perspective: 'aanbieder', ballot: { 'out-terugval': 3 } },
		{ perspective: 'inwoner', ballot: { 'out-doorstroom': 3 } },
		{ perspective: 'inwoner', ballot: { 'out-doorstroom': 1, 'out-terugval': 1 } },
		// over budget: ignored
		{ perspective: 'professional', ballot: { 'out-doorstroom': 9 } }
	];

	it('adds up votes overall and per perspective, ignoring ballots over budget', () => {
		const results = tallyBallots(round, ballots);
		expect(results).toEqual({
			'out-terugval': { gemeente: 2, aanbieder: 3, inwoner: 1 },
			'out-doorstroom': { gemeente: 1, inwoner: 4 }
		});
		expect(perspectiveTotals(results)).toEqual({
			gemeente: 3,
			aanbieder: 3,
			professional: 0,
			inwoner: 5,
			anders: 0
		});
	});

	it('only counts the given cards', () => {
		expect(tallyBallots(round, ballots, new Set(['out-terugval']))).toEqual({
			'out-terugval': { gemeente: 2, aanbieder: 3, inwoner: 1 }
		});
	});

	it('orders cards by votes, ties in the given order, unvoted cards last', () => {
		const results = tallyBallots(round, ballots);
		const rows = tallyRows(results, ['out-x', 'out-doorstroom', 'out-terugval']);
		expect(rows.map((r) => [r.cardId, r.total])).toEqual([
			['out-terugval', 6],
			['out-doorstroom', 5],
			['out-x', 0]
		]);
		expect(rows[0].perPerspective.aanbieder).toBe(3);
		expect(orderByVotes({ a: { gemeente: 1 }, b: { inwoner: 1 } }, ['b', 'a'])).toEqual(['b', 'a']);
	});

	it('finds the open and the latest revealed round', () => {
		const rounds: VotingRound[] = [
			{ ...round, id: 'r1', status: 'revealed', createdAt: 1 },
			{ ...round, id: 'r2', status: 'revealed', createdAt: 2 },
			{ ...round, id: 'r3', status: 'open', createdAt: 3 }
		];
		expect(openRound(rounds)?.id).toBe('r3');
		expect(latestRevealed(rounds)?.id).toBe('r2');
		expect(openRound(rounds.slice(0, 2))).toBeNull();
	});
});
