/**
 * Anonymous rounds: a brainstorm step or a voting round whose authors no other participant ever
 * learns. Pure: imports nothing outside `domain/`.
 *
 * - The facilitator makes a step or a round anonymous, with one setting: whether facilitators see
 *   the authors (`facilitator`) or nobody does (`hidden`).
 * - At the reveal the server writes the cards without a byline ({@link NO_BYLINE}); with
 *   `facilitator`, who wrote which card stays in each author's private document, which only that
 *   participant and the facilitators receive. With `hidden` nobody keeps it.
 * - A card without a byline belongs to the group: no participant may change or delete it (the
 *   "own records only" rule finds no owner), facilitators may.
 * - While a step is anonymous, participants write cards only as private drafts (the server refuses
 *   a shared card with their byline in that step).
 */
import type { Card } from './cards.ts';
import type { StepId } from './steps.ts';

export const ANONYMITY_MODES = ['facilitator', 'hidden'] as const;
/** `facilitator`: facilitators (only) see who wrote what; `hidden`: nobody does. */
export type AnonymityMode = (typeof ANONYMITY_MODES)[number];

export function isAnonymityMode(value: unknown): value is AnonymityMode {
	return typeof value === 'string' && (ANONYMITY_MODES as readonly string[]).includes(value);
}

/** The byline the server writes on a card revealed from an anonymous round. */
export const NO_BYLINE: Readonly<Pick<Card, 'authorId' | 'authorName' | 'perspective'>> =
	Object.freeze({ authorId: '', authorName: '', perspective: null });

/** A card that carries no author (revealed from an anonymous round). */
export function isAnonymousCard(card: Pick<Card, 'authorId' | 'authorName'>): boolean {
	return card.authorId === '' && card.authorName === '';
}

/** What the rules need of the control state. */
export interface AnonymityControl {
	privateSteps: readonly StepId[];
	anonymousSteps: Readonly<Partial<Record<StepId, AnonymityMode>>>;
	rounds: readonly { status: string; anonymous?: AnonymityMode }[];
}

/**
 * Whether facilitators must not watch participants' private documents now: a step that hides its
 * authors from facilitators too is private, or such a voting round has not been revealed yet.
 */
export function hiddenFromFacilitators(control: AnonymityControl): boolean {
	if (control.privateSteps.some((step) => control.anonymousSteps[step] === 'hidden')) return true;
	return control.rounds.some(
		(round) => round.anonymous === 'hidden' && round.status !== 'revealed'
	);
}

/**
 * How a step's drafts are revealed: anonymous if the step is anonymous now or was anonymous at any
 * moment while it was private (switching anonymity off mid-round does not expose what was written
 * under its promise). `facilitator` wins over nothing, `hidden` over `facilitator`.
 */
export function revealMode(
	now: AnonymityMode | undefined,
	whilePrivate: AnonymityMode | undefined
): AnonymityMode | null {
	if (now === 'hidden' || whilePrivate === 'hidden') return 'hidden';
	if (now === 'facilitator' || whilePrivate === 'facilitator') return 'facilitator';
	return null;
}
