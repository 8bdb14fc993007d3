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

/** The steps an agenda can plan, in compass order (steps.ts). */
export const AGENDA_STEPS = STEP_IDS;
export type AgendaStep = StepId;

export const isAgendaStep = (value: unknown): value is AgendaStep =>
	typeof value === 'string' && (AGENDA_STEPS as readonly string[]).includes(value);

/** One agenda line: a step and the minutes planned for it. */
export interface AgendaItem {
	step: AgendaStep;
	minutes: number;
}

/** Field limits of a session and of the people who join it, shared by the forms and the repositories. */
export const SESSION_LIMITS = {
	title: 120,
	name: 60,
	organisation: 100,
	minutes: 480
} as const;

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `value` is a real calendar date written as `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
	if (!DATE_PATTERN.test(value)) return false;
	const date = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Whether an agenda line is a known step with whole minutes from 0 to `SESSION_LIMITS.minutes`. */
export const isValidAgendaItem = (item: AgendaItem): boolean =>
	isAgendaStep(item.step) &&
	Number.isInteger(item.minutes) &&
	item.minutes >= 0 &&
	item.minutes <= SESSION_LIMITS.minutes;

/**
 * An agenda read back from storage (already parsed JSON), dropping anything that is not a known step
 * with whole minutes: a damaged row shows fewer lines, never breaks the page.
 */
export function readAgenda(raw: unknown): AgendaItem[] {
	if (!Array.isArray(raw)) return [];
	return raw.flatMap((item: unknown) => {
		if (typeof item !== 'object' || item === null) return [];
		const { step, minutes } = item as { step?: unknown; minutes?: unknown };
		return isAgendaStep(step) && typeof minutes === 'number' && Number.isInteger(minutes)
			? [{ step, minutes }]
			: [];
	});
}
