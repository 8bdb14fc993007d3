/**
 * The live moments a screen-reader user must hear about, found by comparing the board's control
 * state before and after a change: the group's step, a vote round opening, closing and its result,
 * private cards revealed, a card put in the spotlight. Pure, so the announcer stays thin. (The timer
 * running out is a moment in time, not a change: the announcer watches the clock for it.)
 */
import type { BoardControl } from '$lib/domain/snapshot';
import type { CardId } from '$lib/domain/ids';
import type { StepId } from '$lib/domain/steps';

export type Moment =
	| { kind: 'step'; step: StepId }
	| { kind: 'round-open'; votesPerPerson: number }
	| { kind: 'round-closed' }
	| { kind: 'round-revealed' }
	| { kind: 'private-on'; step: StepId }
	| { kind: 'cards-revealed'; step: StepId }
	| { kind: 'spotlight'; cardId: CardId };

type Control = Pick<BoardControl, 'currentStep' | 'rounds' | 'privateSteps' | 'spotlight'>;

export function momentsBetween(before: Control, after: Control): Moment[] {
	const moments: Moment[] = [];
	if (after.currentStep !== before.currentStep)
		moments.push({ kind: 'step', step: after.currentStep });
	for (const step of before.privateSteps)
		if (!after.privateSteps.includes(step)) moments.push({ kind: 'cards-revealed', step });
	for (const step of after.privateSteps)
		if (!before.privateSteps.includes(step)) moments.push({ kind: 'private-on', step });
	const statusBefore = new Map(before.rounds.map((r) => [r.id, r.status]));
	for (const round of after.rounds) {
		const was = statusBefore.get(round.id);
		if (was === round.status) continue;
		if (round.status === 'open')
			moments.push({ kind: 'round-open', votesPerPerson: round.votesPerPerson });
		else if (round.status === 'closed') moments.push({ kind: 'round-closed' });
		else if (round.status === 'revealed') moments.push({ kind: 'round-revealed' });
	}
	if (after.spotlight && after.spotlight !== before.spotlight)
		moments.push({ kind: 'spotlight', cardId: after.spotlight });
	return moments;
}
