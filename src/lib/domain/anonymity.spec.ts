import { describe, expect, it } from 'vitest';
import {
	hiddenFromFacilitators,
	isAnonymityMode,
	isAnonymousCard,
	NO_BYLINE,
	revealMode
} from './anonymity.ts';

describe('anonymous rounds', () => {
	it('knows the two modes only', () => {
		expect(isAnonymityMode('facilitator')).toBe(true);
		expect(isAnonymityMode('hidden')).toBe(true);
		expect(isAnonymityMode('off')).toBe(false);
		expect(isAnonymityMode(true)).toBe(false);
	});

	it('a card without a byline is anonymous; a named one is not', () => {
		expect(isAnonymousCard({ ...NO_BYLINE })).toBe(true);
		expect(isAnonymousCard({ authorId: 'p1', authorName: 'Anouk' })).toBe(false);
		// A retention-anonymised byline ("deelnemer (inwoner)") is a name, not an anonymous round.
		expect(isAnonymousCard({ authorId: 'p1', authorName: 'deelnemer (inwoner)' })).toBe(false);
	});

	it('keeps facilitators out only while a hidden step is private or a hidden round is not revealed', () => {
		const base = { privateSteps: [], anonymousSteps: {}, rounds: [] };
		expect(hiddenFromFacilitators(base)).toBe(false);
		expect(
			hiddenFromFacilitators({
				...base,
				privateSteps: ['outcomes'],
				anonymousSteps: { outcomes: 'facilitator' }
			})
		).toBe(false);
		expect(
			hiddenFromFacilitators({
				...base,
				privateSteps: ['outcomes'],
				anonymousSteps: { outcomes: 'hidden' }
			})
		).toBe(true);
		// Hidden but not private (before the round, after the reveal): nothing to hide.
		expect(hiddenFromFacilitators({ ...base, anonymousSteps: { outcomes: 'hidden' } })).toBe(false);
		expect(
			hiddenFromFacilitators({ ...base, rounds: [{ status: 'open', anonymous: 'hidden' }] })
		).toBe(true);
		expect(
			hiddenFromFacilitators({ ...base, rounds: [{ status: 'closed', anonymous: 'hidden' }] })
		).toBe(true);
		expect(
			hiddenFromFacilitators({ ...base, rounds: [{ status: 'revealed', anonymous: 'hidden' }] })
		).toBe(false);
		expect(
			hiddenFromFacilitators({ ...base, rounds: [{ status: 'open', anonymous: 'facilitator' }] })
		).toBe(false);
	});

	it('reveals under the strictest promise made while the step was private', () => {
		expect(revealMode(undefined, undefined)).toBeNull();
		expect(revealMode('facilitator', undefined)).toBe('facilitator');
		// Anonymity switched off during the round: still revealed anonymously.
		expect(revealMode(undefined, 'facilitator')).toBe('facilitator');
		expect(revealMode('facilitator', 'hidden')).toBe('hidden');
		expect(revealMode('hidden', 'facilitator')).toBe('hidden');
	});
});
