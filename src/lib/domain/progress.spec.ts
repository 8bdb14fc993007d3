import { describe, expect, it } from 'vitest';
import { kampenWerk } from './kampen-werk.fixture.ts';
import { emptySnapshot } from './snapshot.ts';
import { boardProgress } from './progress.ts';

describe('boardProgress', () => {
	it('finds nothing agreed on an empty board, and says so as a check', () => {
		const progress = boardProgress(emptySnapshot());
		expect(progress.agreedSteps).toEqual([]);
		expect(progress.ambition).toBeNull();
		expect(progress.openChecks.map((c) => c.code)).toEqual(['no_agreed_ambition']);
	});

	it('sees every step of the finished Kampen "werk" board', () => {
		const progress = boardProgress(kampenWerk());
		expect(progress.agreedSteps).toEqual([
			'ambition',
			'outcomes',
			'priorities',
			'activities',
			'measurement',
			'reflection'
		]);
		expect(progress.ambition).toMatch(/^De beroepsbevolking/);
		expect(progress).toMatchObject({ prioritisedOutcomes: 2, activities: 3, indicators: 2 });
	});

	it('does not count an indicator without a target as agreed measurement', () => {
		const board = kampenWerk();
		board.cards = board.cards.map((c) => (c.id === 'ind-terugval' ? { ...c, target: '' } : c));
		expect(boardProgress(board).agreedSteps).not.toContain('measurement');
	});

	it('does not count activities that serve no prioritised outcome', () => {
		const board = kampenWerk();
		board.control.priorityOrder = [];
		board.control.agreed = ['amb-werk'];
		const progress = boardProgress(board);
		expect(progress.agreedSteps).toEqual(['ambition', 'reflection']);
		expect(progress.prioritisedOutcomes).toBe(0);
	});
});
