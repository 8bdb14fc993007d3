import { describe, expect, it } from 'vitest';
import { checksForCard, checksUpTo, compassChecks, prioritisedOutcomes } from './checks.ts';
import { kampenWerk } from './kampen-werk.fixture.ts';
import { emptySnapshot } from './snapshot.ts';
import nl from '../../../messages/board/nl.json' with { type: 'json' };
import en from '../../../messages/board/en.json' with { type: 'json' };

describe('compass checks on the Kampen werk board', () => {
	it('asks the questions the compass asks', () => {
		const ids = compassChecks(kampenWerk()).map((c) => c.id);
		expect(ids).toEqual([
			'activity_without_outcome:act-bingo',
			'outcome_without_indicator:out-doorstroom',
			'indicator_without_baseline:ind-verhalen',
			'indicator_without_target:ind-verhalen'
		]);
	});

	it('asks "doel of middel?" until the bingo afternoon serves an outcome', () => {
		const board = kampenWerk();
		board.links.push({ id: 'l5', from: 'act-bingo', to: 'out-doorstroom', authorId: 'p-cor' });
		expect(checksForCard(compassChecks(board), 'act-bingo')).toEqual([]);
		// a link to a merged-away outcome does not count
		board.cards.find((c) => c.id === 'out-doorstroom')!.mergedInto = 'out-terugval';
		expect(checksForCard(compassChecks(board), 'act-bingo').map((c) => c.code)).toEqual([
			'activity_without_outcome'
		]);
	});

	it('asks for an agreed ambition, then for outcomes under it', () => {
		const board = kampenWerk();
		board.control.agreed = [];
		expect(compassChecks(board).map((c) => c.id)).toContain('no_agreed_ambition');
		board.control.agreed = ['amb-werk'];
		board.cards = board.cards.filter((c) => c.kind !== 'outcome');
		expect(compassChecks(board).map((c) => c.id)).toContain('ambition_without_outcomes:amb-werk');
		expect(compassChecks(emptySnapshot()).map((c) => c.code)).toEqual(['no_agreed_ambition']);
	});

	it('flags an indicator that measures nothing', () => {
		const board = kampenWerk();
		board.links = board.links.filter((l) => l.from !== 'ind-terugval');
		expect(checksForCard(compassChecks(board), 'ind-terugval').map((c) => c.code)).toEqual([
			'indicator_unlinked'
		]);
		// and the prioritised outcome it measured now lacks an indicator
		expect(compassChecks(board).map((c) => c.id)).toContain(
			'outcome_without_indicator:out-terugval'
		);
	});

	it('uses agreed outcomes as priorities when no order is fixed', () => {
		const board = kampenWerk();
		board.control.priorityOrder = [];
		expect(prioritisedOutcomes(board)).toEqual([]);
		board.control.agreed.push('out-doorstroom');
		expect(prioritisedOutcomes(board).map((c) => c.id)).toEqual(['out-doorstroom']);
	});

	it('only shows checks of steps the group has reached', () => {
		const board = kampenWerk();
		expect(checksUpTo(board, 'activities').map((c) => c.code)).toEqual([
			'activity_without_outcome'
		]);
		expect(checksUpTo(board, 'ambition')).toEqual([]);
	});

	it('has a message in both languages for every check, with the card text as parameter', () => {
		const board = kampenWerk();
		board.control.agreed = [];
		board.links = [];
		for (const check of compassChecks(board)) {
			expect(nl).toHaveProperty(check.messageKey);
			expect(en).toHaveProperty(check.messageKey);
			if (check.cardId) expect(check.params.card).toBeTruthy();
		}
	});
});
