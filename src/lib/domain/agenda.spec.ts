import { describe, expect, it } from 'vitest';
import {
	isIsoDate,
	isValidAgendaItem,
	nextMove,
	openSteps,
	readAgenda,
	SESSION_LIMITS,
	suggestedAgenda
} from './agenda.ts';

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

describe('agenda rules', () => {
	it('accepts only real calendar dates written as YYYY-MM-DD', () => {
		expect(isIsoDate('2026-12-01')).toBe(true);
		expect(isIsoDate('2028-02-29')).toBe(true);
		for (const bad of ['2026-02-30', '2026-13-01', '1-12-2026', '2026-12-1', ''])
			expect(isIsoDate(bad)).toBe(false);
	});

	it('allows known steps with whole minutes from 0 to the limit', () => {
		expect(isValidAgendaItem({ step: 'ambition', minutes: 0 })).toBe(true);
		expect(isValidAgendaItem({ step: 'reflection', minutes: SESSION_LIMITS.minutes })).toBe(true);
		expect(isValidAgendaItem({ step: 'ambition', minutes: SESSION_LIMITS.minutes + 1 })).toBe(
			false
		);
		expect(isValidAgendaItem({ step: 'ambition', minutes: 1.5 })).toBe(false);
		expect(isValidAgendaItem({ step: 'ambition', minutes: -1 })).toBe(false);
		expect(isValidAgendaItem({ step: 'lunch' as 'ambition', minutes: 10 })).toBe(false);
	});

	it('reads a stored agenda, dropping what is damaged', () => {
		expect(
			readAgenda([
				{ step: 'ambition', minutes: 20 },
				{ step: 'lunch', minutes: 30 },
				{ step: 'outcomes', minutes: '45' },
				null,
				{ step: 'outcomes', minutes: 45 }
			])
		).toEqual([
			{ step: 'ambition', minutes: 20 },
			{ step: 'outcomes', minutes: 45 }
		]);
		expect(readAgenda({ step: 'ambition' })).toEqual([]);
		expect(readAgenda(null)).toEqual([]);
	});
});
