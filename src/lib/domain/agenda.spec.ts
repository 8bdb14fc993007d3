import { describe, expect, it } from 'vitest';
import { nextMove, openSteps, suggestedAgenda } from './agenda.ts';

describe('agenda', () => {
	it('suggests the steps a theme has not finished, each with its own duration', () => {
		expect(suggestedAgenda(['ambition', 'outcomes'])).toEqual([
			{ step: 'priorities', minutes: 20 },
			{ step: 'activities', minutes: 45 },
			{ step: 'measurement', minutes: 40 },
			{ step: 'reflection', minutes: 20 }
		]);
		expect(suggestedAgenda([]).map((i) => i.step)).toHaveLength(6);
	});

	it('starts a new round of all six steps once every step is done', () => {
		expect(
			openSteps(['ambition', 'outcomes', 'priorities', 'activities', 'measurement', 'reflection'])
		).toHaveLength(6);
	});

	it('says what to do next: prepare, continue with the open step, or with the running board', () => {
		expect(nextMove([], null)).toEqual({ kind: 'prepare' });
		expect(nextMove(['ambition', 'priorities'], null)).toEqual({
			kind: 'continue',
			step: 'outcomes',
			live: false
		});
		expect(nextMove([], { currentStep: 'activities' })).toEqual({
			kind: 'continue',
			step: 'activities',
			live: true
		});
	});
});
