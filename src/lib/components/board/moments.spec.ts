import { describe, expect, it } from 'vitest';
import type { VotingRound } from '$lib/domain/votes';
import { momentsBetween } from './moments';

const base = {
	currentStep: 'ambition' as const,
	rounds: [] as VotingRound[],
	privateSteps: [] as ('ambition' | 'outcomes')[],
	spotlight: null as string | null
};
const round = (status: VotingRound['status']): VotingRound => ({
	id: 'r1',
	status,
	votesPerPerson: 3,
	createdAt: 1
});

describe('momentsBetween', () => {
	it('finds nothing when nothing that matters changed', () => {
		expect(momentsBetween(base, { ...base })).toEqual([]);
	});

	it('finds a step change', () => {
		expect(momentsBetween(base, { ...base, currentStep: 'priorities' })).toEqual([
			{ kind: 'step', step: 'priorities' }
		]);
	});

	it('follows a vote round from open to closed to revealed', () => {
		const open = { ...base, rounds: [round('open')] };
		const closed = { ...base, rounds: [round('closed')] };
		const revealed = { ...base, rounds: [round('revealed')] };
		expect(momentsBetween(base, open)).toEqual([{ kind: 'round-open', votesPerPerson: 3 }]);
		expect(momentsBetween(open, closed)).toEqual([{ kind: 'round-closed' }]);
		expect(momentsBetween(closed, revealed)).toEqual([{ kind: 'round-revealed' }]);
		expect(momentsBetween(revealed, revealed)).toEqual([]);
	});

	it('finds a private round starting and its cards revealed', () => {
		const on = { ...base, privateSteps: ['ambition' as const] };
		expect(momentsBetween(base, on)).toEqual([{ kind: 'private-on', step: 'ambition' }]);
		expect(momentsBetween(on, base)).toEqual([{ kind: 'cards-revealed', step: 'ambition' }]);
	});

	it('finds a card put in the spotlight, not one taken out', () => {
		const lit = { ...base, spotlight: 'c1' };
		expect(momentsBetween(base, lit)).toEqual([{ kind: 'spotlight', cardId: 'c1' }]);
		expect(momentsBetween(lit, base)).toEqual([]);
	});
});
