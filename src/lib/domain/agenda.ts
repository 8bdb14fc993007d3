/**
 * What to do next with a theme, and the agenda a new session starts from: the steps the theme has
 * not finished yet, each with a duration that fits the work of that step. Pure.
 */
import { STEP_IDS, type StepId } from './steps.ts';

/** Minutes a step usually takes in a session of a group of 6–12 people. */
export const SUGGESTED_MINUTES: Readonly<Record<StepId, number>> = {
	ambition: 30,
	outcomes: 45,
	priorities: 20,
	activities: 45,
	measurement: 40,
	reflection: 20
};

/** The steps not finished yet, in compass order; all six when every step is done (a new cycle). */
export function openSteps(finished: readonly StepId[]): StepId[] {
	const open = STEP_IDS.filter((step) => !finished.includes(step));
	return open.length ? open : [...STEP_IDS];
}

/** The agenda a new session of this theme starts with. */
export function suggestedAgenda(finished: readonly StepId[]): { step: StepId; minutes: number }[] {
	return openSteps(finished).map((step) => ({ step, minutes: SUGGESTED_MINUTES[step] }));
}

export type NextMove =
	/** Nothing happened yet: plan the first session. */
	| { kind: 'prepare' }
	/** Carry on with `step`: on the running board when there is one, else in a new session. */
	| { kind: 'continue'; step: StepId; live: boolean };

/**
 * What the trajectory page suggests for a theme: "Bijeenkomst voorbereiden" before anything was
 * agreed and no session runs, otherwise "Verder met stap X" (the group's step of a running
 * session, or the first step not finished yet).
 */
export function nextMove(
	finished: readonly StepId[],
	live: { currentStep: StepId } | null
): NextMove {
	if (live) return { kind: 'continue', step: live.currentStep, live: true };
	if (finished.length === 0) return { kind: 'prepare' };
	return { kind: 'continue', step: openSteps(finished)[0], live: false };
}
