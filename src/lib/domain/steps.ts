/**
 * The six steps of the board and what belongs in each. Pure: imports nothing outside `domain/`.
 *
 * Product step ↔ Movisie step (the Kwaliteitskompas handbook's own numbering): ambition = 1 Monitoring & ambities, outcomes = 2
 * Maatschappelijk resultaat, priorities = inside step 2 (made explicit with voting), activities = 3
 * Activiteiten (+ 4 Input kwaliteit as optional fields), measurement = step 2 indicators + 5 Outcome,
 * reflection = 6 Verbetercyclus.
 */
import type { CardKind } from './cards.ts';

export const STEP_IDS = [
	'ambition',
	'outcomes',
	'priorities',
	'activities',
	'measurement',
	'reflection'
] as const;
export type StepId = (typeof STEP_IDS)[number];

/** A Paraglide message key of `messages/board/*.json` (call it as `m[key]()`). */
export type BoardMessageKey = `board_${string}`;

export interface StepDefinition {
	id: StepId;
	/** 1-based position on the compass. */
	number: number;
	/** The Movisie step(s) this product step covers, for exports and help texts. */
	movisieSteps: readonly number[];
	titleKey: BoardMessageKey;
	/** One-line explanation under the title. */
	introKey: BoardMessageKey;
	/** The guiding questions (kompasvragen) everyone sees during the step. */
	questionKeys: readonly BoardMessageKey[];
	/** Kinds of card that can be added in this step (priorities votes on outcome cards). */
	cardKinds: readonly CardKind[];
}

export const STEPS: readonly StepDefinition[] = [
	{
		id: 'ambition',
		number: 1,
		movisieSteps: [1],
		titleKey: 'board_step_ambition_title',
		introKey: 'board_step_ambition_intro',
		questionKeys: ['board_step_ambition_question_1', 'board_step_ambition_question_2'],
		cardKinds: ['situation', 'ambition']
	},
	{
		id: 'outcomes',
		number: 2,
		movisieSteps: [2],
		titleKey: 'board_step_outcomes_title',
		introKey: 'board_step_outcomes_intro',
		questionKeys: ['board_step_outcomes_question_1', 'board_step_outcomes_question_2'],
		cardKinds: ['outcome']
	},
	{
		id: 'priorities',
		number: 3,
		movisieSteps: [2],
		titleKey: 'board_step_priorities_title',
		introKey: 'board_step_priorities_intro',
		questionKeys: ['board_step_priorities_question_1', 'board_step_priorities_question_2'],
		cardKinds: []
	},
	{
		id: 'activities',
		number: 4,
		movisieSteps: [3, 4],
		titleKey: 'board_step_activities_title',
		introKey: 'board_step_activities_intro',
		questionKeys: [
			'board_step_activities_question_1',
			'board_step_activities_question_2',
			'board_step_activities_question_3'
		],
		cardKinds: ['activity']
	},
	{
		id: 'measurement',
		number: 5,
		movisieSteps: [2, 5],
		titleKey: 'board_step_measurement_title',
		introKey: 'board_step_measurement_intro',
		questionKeys: ['board_step_measurement_question_1', 'board_step_measurement_question_2'],
		cardKinds: ['indicator']
	},
	{
		id: 'reflection',
		number: 6,
		movisieSteps: [6],
		titleKey: 'board_step_reflection_title',
		introKey: 'board_step_reflection_intro',
		questionKeys: ['board_step_reflection_question_1', 'board_step_reflection_question_2'],
		cardKinds: ['well', 'better', 'action']
	}
];

export function isStepId(value: unknown): value is StepId {
	return typeof value === 'string' && (STEP_IDS as readonly string[]).includes(value);
}

/** The definition of one step. */
export function getStep(id: StepId): StepDefinition {
	const step = STEPS.find((s) => s.id === id);
	if (!step) throw new RangeError(`unknown step: ${id}`);
	return step;
}

/** The step in which cards of `kind` are written. */
export function stepOfKind(kind: CardKind): StepId {
	const step = STEPS.find((s) => s.cardKinds.includes(kind));
	if (!step) throw new RangeError(`no step for card kind: ${kind}`);
	return step.id;
}

/** The step after `id`, or `null` after reflection (the next cycle starts on a new board). */
export function nextStep(id: StepId): StepId | null {
	const index = STEP_IDS.indexOf(id);
	return STEP_IDS[index + 1] ?? null;
}

/** The step before `id`, or `null` before ambition. */
export function previousStep(id: StepId): StepId | null {
	const index = STEP_IDS.indexOf(id);
	return index > 0 ? STEP_IDS[index - 1] : null;
}
