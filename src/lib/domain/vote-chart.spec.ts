import { describe, expect, it } from 'vitest';
import { revealedRounds, voteChart } from './vote-chart.ts';
import type { RoundResults, VotingRound } from './votes.ts';

const rounds: VotingRound[] = [
	// Out of order on purpose: numbering follows createdAt.
	{ id: 'r2', status: 'revealed', votesPerPerson: 3, createdAt: 20 },
	{ id: 'r1', status: 'revealed', votesPerPerson: 5, createdAt: 10 },
	{ id: 'r3', status: 'open', votesPerPerson: 3, createdAt: 30 }
];
const results: Record<string, RoundResults> = {
	r1: {
		terugval: { gemeente: 4, inwoner: 1 },
		doorstroom: { aanbieder: 6, professional: 2 },
		weg: { gemeente: 9 }
	},
	r2: {
		terugval: { gemeente: 2, aanbieder: 1, inwoner: 3 },
		doorstroom: { professional: 1 }
	}
};
const cards = ['doorstroom', 'terugval', 'samen'];

describe('revealedRounds', () => {
	it('numbers rounds by age among all rounds and keeps the revealed ones', () => {
		expect(revealedRounds(rounds).map((r) => [r.id, r.number])).toEqual([
			['r1', 1],
			['r2', 2]
		]);
	});
});

describe('voteChart', () => {
	it('shows the newest revealed round: one bar per outcome, split by perspective', () => {
		const chart = voteChart(rounds, results, cards);
		expect(chart.rounds).toEqual([{ id: 'r2', number: 2 }]);
		expect(chart.roundCount).toBe(3);
		expect(chart.rows.map((r) => r.cardId)).toEqual(['terugval', 'doorstroom', 'samen']);
		expect(chart.rows[0]!.bars).toEqual([
			{
				roundId: 'r2',
				number: 2,
				total: 6,
				segments: [
					{ perspective: 'gemeente', count: 2 },
					{ perspective: 'aanbieder', count: 1 },
					{ perspective: 'inwoner', count: 3 }
				]
			}
		]);
		expect(chart.rows[2]!.bars[0]).toMatchObject({ total: 0, segments: [] });
		expect(chart.max).toBe(6);
		expect(chart.perspectives).toEqual(['gemeente', 'aanbieder', 'professional', 'inwoner']);
	});

	it('compares rounds on one scale, ordered by the newest round, without cards that are gone', () => {
		const chart = voteChart(rounds, results, cards, ['r2', 'r1']);
		expect(chart.rounds.map((r) => r.number)).toEqual([1, 2]);
		expect(chart.rows.map((r) => r.cardId)).toEqual(['terugval', 'doorstroom', 'samen']);
		expect(chart.rows[1]!.bars.map((b) => [b.number, b.total])).toEqual([
			[1, 8],
			[2, 1]
		]);
		// "weg" is no longer on the board: its 9 votes set no scale.
		expect(chart.max).toBe(8);
	});

	it('is empty before any reveal', () => {
		const chart = voteChart([{ ...rounds[2]! }], {}, cards);
		expect(chart.rounds).toEqual([]);
		expect(chart.rows.map((r) => r.bars)).toEqual([[], [], []]);
		expect(chart.max).toBe(0);
	});
});
