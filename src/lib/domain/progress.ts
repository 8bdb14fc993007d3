/**
 * How far a board is around the compass: which steps have agreed content, and counts for the
 * trajectory overview. Pure: imports nothing outside `domain/`.
 */
import { cardsOf } from './cards.ts';
import { compassChecks, prioritisedOutcomes, type CompassCheck } from './checks.ts';
import { liveLinks, targetsOf } from './links.ts';
import type { BoardSnapshot } from './snapshot.ts';
import { STEP_IDS, type StepId } from './steps.ts';

export interface BoardProgress {
	/** Steps of this cycle that hold agreed content, in compass order. */
	agreedSteps: StepId[];
	/** The agreed ambition's text, or null. */
	ambition: string | null;
	prioritisedOutcomes: number;
	activities: number;
	indicators: number;
	openChecks: CompassCheck[];
}

/**
 * What counts as "agreed" per step:
 * ambition – an ambition marked agreed; outcomes – an outcome marked agreed or placed in the
 * priority order; priorities – a fixed priority order; activities – an activity serving a
 * prioritised outcome; measurement – an indicator with baseline and target on a prioritised outcome
 * or on an activity; reflection – an improvement action.
 */
export function boardProgress(snapshot: BoardSnapshot): BoardProgress {
	const { cards, control } = snapshot;
	const agreed = new Set(control.agreed);
	const links = liveLinks(cards, snapshot.links);
	const ambition = cardsOf(cards, 'ambition', 'ambition').find((c) => agreed.has(c.id)) ?? null;
	const outcomes = cardsOf(cards, 'outcomes', 'outcome');
	const priorities = prioritisedOutcomes(snapshot);
	const priorityIds = new Set(priorities.map((c) => c.id));
	const activities = cardsOf(cards, 'activities', 'activity');
	const activityIds = new Set(activities.map((c) => c.id));
	const indicators = cardsOf(cards, 'measurement', 'indicator');

	const done: Record<StepId, boolean> = {
		ambition: ambition !== null,
		outcomes: outcomes.some((c) => agreed.has(c.id) || control.priorityOrder.includes(c.id)),
		priorities: control.priorityOrder.length > 0,
		activities: activities.some((a) => targetsOf(links, a.id).some((id) => priorityIds.has(id))),
		measurement: indicators.some(
			(i) =>
				Boolean(i.baseline?.trim() && i.target?.trim()) &&
				targetsOf(links, i.id).some((id) => priorityIds.has(id) || activityIds.has(id))
		),
		reflection: cardsOf(cards, 'reflection', 'action').length > 0
	};

	return {
		agreedSteps: STEP_IDS.filter((step) => done[step]),
		ambition: ambition?.text ?? null,
		prioritisedOutcomes: priorities.length,
		activities: activities.length,
		indicators: indicators.length,
		openChecks: compassChecks(snapshot)
	};
}
