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
	ALL_GROUP,
	anonymousGroups,
	countVoters,
	groupsIn,
	MIN_VOTERS_APART,
	OTHER_GROUP,
	type Ballot,
	type CastBallot,
	type RoundResults,
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
			anders: 0,
			overig: 0,
			samen: 0
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
		expect(rows[0].perGroup.aanbieder).toBe(3);
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

describe('anonymous tally: no perspective small enough to recognise anyone', () => {
	const anonymous = { ...round, anonymous: 'hidden' as const };
	/** `n` ballots of one perspective, each one dot on `a` and one on `b`. */
	const people = (perspective: Perspective, n: number, ballot: Ballot = { a: 1, b: 1 }) =>
		Array.from({ length: n }, (): CastBallot => ({ perspective, ballot }));
	/** Every count a participant can read, and every difference of them: the totals per card. */
	const totals = (results: RoundResults) =>
		Object.fromEntries(
			Object.entries(results).map(([id, row]) => [
				id,
				Object.values(row).reduce((s, n) => s + (n ?? 0), 0)
			])
		);

	it('uses 3 voters as the smallest group shown apart', () => {
		expect(MIN_VOTERS_APART).toBe(3);
	});

	it('shows a perspective apart only with at least 3 voters, the smaller ones together', () => {
		const groups = anonymousGroups({ gemeente: 4, aanbieder: 3, inwoner: 2, anders: 1 });
		expect(groups).toEqual({
			gemeente: 'gemeente',
			aanbieder: 'aanbieder',
			inwoner: OTHER_GROUP,
			anders: OTHER_GROUP
		});
		const results = tallyBallots(anonymous, [
			...people('gemeente', 4),
			...people('aanbieder', 3),
			...people('inwoner', 2, { a: 3 }),
			...people('anders', 1, { b: 2 })
		]);
		expect(results).toEqual({
			a: { gemeente: 4, aanbieder: 3, overig: 6 },
			b: { gemeente: 4, aanbieder: 3, overig: 2 }
		});
		expect(groupsIn(results)).toEqual(['gemeente', 'aanbieder', OTHER_GROUP]);
	});

	it('never leaves a group of one or two to be found by subtracting from the total', () => {
		// Shown apart: gemeente 5 and aanbieder 4. The lone inwoner would be total − 9 voters' dots,
		// so the smallest shown group (aanbieder) joins it: 5 people in "andere perspectieven".
		expect(anonymousGroups({ gemeente: 5, aanbieder: 4, inwoner: 1 })).toEqual({
			gemeente: 'gemeente',
			aanbieder: OTHER_GROUP,
			inwoner: OTHER_GROUP
		});
		// One large perspective and one voter elsewhere: nothing can be shown apart, only totals.
		expect(anonymousGroups({ gemeente: 6, inwoner: 1 })).toEqual({
			gemeente: ALL_GROUP,
			inwoner: ALL_GROUP
		});
		const results = tallyBallots(anonymous, [
			...people('gemeente', 6),
			...people('inwoner', 1, { b: 3 })
		]);
		expect(results).toEqual({ a: { samen: 6 }, b: { samen: 9 } });
	});

	it('holds for every mix of up to 7 voters over three perspectives', () => {
		for (let g = 0; g <= 7; g++)
			for (let i = 0; i <= 7 - g; i++)
				for (let o = 0; o <= 7 - g - i; o++) {
					const voters = { gemeente: g, inwoner: i, anders: o };
					const groups = anonymousGroups(voters);
					const size: Record<string, number> = {};
					for (const [p, group] of Object.entries(groups))
						size[group!] = (size[group!] ?? 0) + voters[p as keyof typeof voters];
					const shown = Object.entries(size);
					// Every group shown holds 3 or more people, or it is everyone (only the total).
					for (const [group, n] of shown)
						if (group !== ALL_GROUP) expect(n, JSON.stringify(voters)).toBeGreaterThanOrEqual(3);
					// Total minus the groups shown apart: nothing, or 3 or more people.
					const total = g + i + o;
					const apart = shown.filter(([grp]) => grp !== OTHER_GROUP && grp !== ALL_GROUP);
					const rest = total - apart.reduce((s, [, n]) => s + n, 0);
					if (apart.length) expect([0, ...(rest >= 3 ? [rest] : [])]).toContain(rest);
				}
	});

	it('shows only the totals when fewer than 3 people voted, and counts who voted', () => {
		const two = [...people('gemeente', 1), ...people('inwoner', 1, { a: 2 })];
		expect(tallyBallots(anonymous, two)).toEqual({ a: { samen: 3 }, b: { samen: 1 } });
		expect(countVoters(anonymous, two)).toBe(2);
		// Empty and over-budget ballots are no votes.
		expect(
			countVoters(anonymous, [...two, ...people('anders', 1, {}), ...people('anders', 1, { a: 9 })])
		).toBe(2);
	});

	it('changes nothing about the totals, and nothing for a round with names', () => {
		const ballots = [...people('gemeente', 4), ...people('inwoner', 1, { b: 3 })];
		expect(totals(tallyBallots(anonymous, ballots))).toEqual(totals(tallyBallots(round, ballots)));
		expect(tallyBallots(round, ballots)).toEqual({
			a: { gemeente: 4 },
			b: { gemeente: 4, inwoner: 3 }
		});
	});
});
