import { describe, expect, it } from 'vitest';
import { CARD_KINDS } from './cards.ts';
import { getStep, isStepId, nextStep, previousStep, stepOfKind, STEP_IDS, STEPS } from './steps.ts';
import nl from '../../../messages/board/nl.json' with { type: 'json' };
import en from '../../../messages/board/en.json' with { type: 'json' };

describe('steps', () => {
	it('lists the six steps of the compass in order', () => {
		expect(STEPS.map((s) => s.id)).toEqual([...STEP_IDS]);
		expect(STEPS.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6]);
		expect(getStep('activities').movisieSteps).toEqual([3, 4]);
	});

	it('places every card kind in exactly one step', () => {
		for (const kind of CARD_KINDS) {
			expect(STEPS.filter((s) => s.cardKinds.includes(kind))).toHaveLength(1);
		}
		expect(stepOfKind('situation')).toBe('ambition');
		expect(stepOfKind('indicator')).toBe('measurement');
		expect(stepOfKind('action')).toBe('reflection');
		expect(getStep('priorities').cardKinds).toEqual([]);
	});

	it('walks forwards and backwards', () => {
		expect(nextStep('ambition')).toBe('outcomes');
		expect(nextStep('reflection')).toBeNull();
		expect(previousStep('ambition')).toBeNull();
		expect(previousStep('measurement')).toBe('activities');
		expect(isStepId('outcomes')).toBe(true);
		expect(isStepId('monitoring')).toBe(false);
	});

	it('has a Dutch and an English text for every title and guiding question', () => {
		const keys = STEPS.flatMap((s) => [s.titleKey, s.introKey, ...s.questionKeys]);
		for (const key of keys) {
			expect(nl, key).toHaveProperty(key);
			expect(en, key).toHaveProperty(key);
		}
	});
});
