/**
 * Consent rounds (akkoord / bezwaar / parkeren). Pure: imports nothing outside `domain/`.
 *
 * The facilitator puts a proposal to the group: the ambition, the prioritised list of outcomes, or
 * an activity. Each participant answers once per round: akkoord, bezwaar (with a reason, always) or
 * parkeren (with an optional note). Answers live in each participant's private document until the
 * facilitator shows the result; then the server writes the counts per perspective and the reasons
 * and notes (with their perspective, never a name) into the board. The facilitator then adopts the
 * proposal (only without bezwaar), parks it with a note, or amends it and opens the next round.
 *
 * Decisions:
 * - One answer per person per round. A second answer (also a change before the result is shown) is
 *   refused: "may not answer twice". Someone who changes their mind says so in the conversation;
 *   the facilitator can open a new round.
 * - Reasons and notes reach the board and the report with the perspective only. Naming people would
 *   make a resident think twice before objecting to the municipality; the facilitator, who receives
 *   the private documents, can still see who objected and invite them to explain.
 */
import type { CardId, RoundId } from './ids.ts';
import { PERSPECTIVES, type Perspective } from './roles.ts';

export {
	CONSENT_ANSWERS,
	CONSENT_LIMITS,
	CONSENT_STATUSES,
	CONSENT_SUBJECTS,
	type ConsentAnswer,
	type ConsentStatus,
	type ConsentSubject
} from './consent-values.ts';
import {
	CONSENT_ANSWERS,
	CONSENT_LIMITS,
	CONSENT_STATUSES,
	CONSENT_SUBJECTS,
	type ConsentAnswer,
	type ConsentStatus,
	type ConsentSubject
} from './consent-values.ts';

export interface ConsentProposal {
	id: string;
	subject: ConsentSubject;
	/** The cards it is about: the ambition, the outcomes in priority order, or the activity. */
	cardIds: CardId[];
	/** The wording put to the group in the current round. */
	text: string;
	/** 1, 2, 3 …: the current round. */
	round: number;
	/** The current round's id: the key of the answers in the private documents. */
	roundId: RoundId;
	status: ConsentStatus;
	/** The facilitator's note when parked. */
	note: string;
	createdAt: number;
	/** When adopted or parked, else null. */
	decidedAt: number | null;
}

/** One answer in a participant's private document. */
export interface ConsentAnswerRecord {
	answer: ConsentAnswer;
	/** The reason (bezwaar) or note (parkeren); empty for akkoord. */
	text: string;
	answeredAt: number;
}

/** A reason or note as the group sees it: with the perspective, without a name. */
export interface ConsentNote {
	answer: Exclude<ConsentAnswer, 'akkoord'>;
	perspective: Perspective;
	text: string;
}

/** What the server writes when the facilitator shows the result of one round. */
export interface ConsentRoundResult {
	roundId: RoundId;
	proposalId: string;
	round: number;
	/** The wording the group answered to. */
	text: string;
	counts: Record<ConsentAnswer, Record<Perspective, number>>;
	notes: ConsentNote[];
}

/** All consent of one board: proposals (oldest first) and the shown results per round. */
export interface ConsentState {
	proposals: ConsentProposal[];
	results: Record<RoundId, ConsentRoundResult>;
}

export const EMPTY_CONSENT: ConsentState = Object.freeze({ proposals: [], results: {} });

export function isConsentAnswer(value: unknown): value is ConsentAnswer {
	return typeof value === 'string' && (CONSENT_ANSWERS as readonly string[]).includes(value);
}
export function isConsentSubject(value: unknown): value is ConsentSubject {
	return typeof value === 'string' && (CONSENT_SUBJECTS as readonly string[]).includes(value);
}
export function isConsentStatus(value: unknown): value is ConsentStatus {
	return typeof value === 'string' && (CONSENT_STATUSES as readonly string[]).includes(value);
}

export type ConsentAnswerProblem =
	/** No proposal is open with this round id. */
	| 'not_open'
	/** This person already answered in this round. */
	| 'already_answered'
	/** A bezwaar without a reason. */
	| 'reason_required'
	| 'too_long'
	| 'unknown_answer';

/**
 * Why an answer is not acceptable, or null. The server applies the same rules to what a client
 * writes (server/realtime/authorize.ts); the form uses this to say it before sending.
 */
export function answerProblem(
	proposal: { status: unknown; roundId: RoundId } | null,
	roundId: RoundId,
	answer: { answer: unknown; text: string },
	alreadyAnswered: boolean
): ConsentAnswerProblem | null {
	if (!proposal || proposal.status !== 'open' || proposal.roundId !== roundId) return 'not_open';
	if (alreadyAnswered) return 'already_answered';
	if (!isConsentAnswer(answer.answer)) return 'unknown_answer';
	if (answer.text.length > CONSENT_LIMITS.reasonMax) return 'too_long';
	if (answer.answer === 'bezwaar' && answer.text.trim() === '') return 'reason_required';
	return null;
}

const zero = (): Record<Perspective, number> =>
	Object.fromEntries(PERSPECTIVES.map((p) => [p, 0])) as Record<Perspective, number>;

export function emptyCounts(): Record<ConsentAnswer, Record<Perspective, number>> {
	return { akkoord: zero(), bezwaar: zero(), parkeren: zero() };
}

/**
 * Counts answers per perspective and collects the reasons and notes, sorted by perspective and
 * text so that their order says nothing about who answered first.
 */
export function tallyConsent(
	answers: readonly { perspective: Perspective; answer: ConsentAnswerRecord }[]
): Pick<ConsentRoundResult, 'counts' | 'notes'> {
	const counts = emptyCounts();
	const notes: ConsentNote[] = [];
	for (const { perspective, answer } of answers) {
		if (!isConsentAnswer(answer.answer)) continue;
		if (answer.answer === 'bezwaar' && answer.text.trim() === '') continue;
		counts[answer.answer][perspective]++;
		const text = answer.text.trim();
		if (answer.answer !== 'akkoord' && text)
			notes.push({ answer: answer.answer, perspective, text });
	}
	const rank = (p: Perspective) => PERSPECTIVES.indexOf(p);
	notes.sort(
		(a, b) =>
			(a.answer === b.answer ? 0 : a.answer === 'bezwaar' ? -1 : 1) ||
			rank(a.perspective) - rank(b.perspective) ||
			(a.text < b.text ? -1 : a.text > b.text ? 1 : 0)
	);
	return { counts, notes };
}

/** Answers of one kind over all perspectives. */
export function answerTotal(result: Pick<ConsentRoundResult, 'counts'>, answer: ConsentAnswer) {
	return PERSPECTIVES.reduce((sum, p) => sum + (result.counts[answer][p] ?? 0), 0);
}

export function totals(result: Pick<ConsentRoundResult, 'counts'>): Record<ConsentAnswer, number> {
	return {
		akkoord: answerTotal(result, 'akkoord'),
		bezwaar: answerTotal(result, 'bezwaar'),
		parkeren: answerTotal(result, 'parkeren')
	};
}

/** The result of a proposal's current round, once shown. */
export function currentResult(
	state: ConsentState,
	proposal: ConsentProposal
): ConsentRoundResult | null {
	const result = state.results[proposal.roundId];
	return result && result.proposalId === proposal.id ? result : null;
}

/** Every shown round of a proposal, first round first. */
export function roundsOf(state: ConsentState, proposalId: string): ConsentRoundResult[] {
	return Object.values(state.results)
		.filter((r) => r.proposalId === proposalId)
		.sort((a, b) => a.round - b.round);
}

export type ResolveProblem = 'not_revealed' | 'has_objections' | 'no_result';

/** Why the facilitator cannot adopt the proposal now (consent needs zero bezwaren), or null. */
export function adoptProblem(
	state: ConsentState,
	proposal: ConsentProposal
): ResolveProblem | null {
	if (proposal.status !== 'revealed') return 'not_revealed';
	const result = currentResult(state, proposal);
	if (!result) return 'no_result';
	return answerTotal(result, 'bezwaar') > 0 ? 'has_objections' : null;
}

/** Where an agreed item comes from: "vastgesteld bij consent, ronde 2, 0 bezwaren". */
export interface ConsentProvenance {
	proposalId: string;
	round: number;
	objections: number;
	/** Parkeren answers in the adopting round (they do not block consent). */
	parked: number;
	decidedAt: number | null;
}

export function provenanceOf(
	state: ConsentState,
	proposal: ConsentProposal
): ConsentProvenance | null {
	if (proposal.status !== 'adopted') return null;
	const result = currentResult(state, proposal);
	return {
		proposalId: proposal.id,
		round: proposal.round,
		objections: result ? answerTotal(result, 'bezwaar') : 0,
		parked: result ? answerTotal(result, 'parkeren') : 0,
		decidedAt: proposal.decidedAt
	};
}

/** The newest adopted proposal about `cardId`, as provenance; null when it was not adopted by consent. */
export function provenanceForCard(state: ConsentState, cardId: CardId): ConsentProvenance | null {
	const adopted = state.proposals
		.filter((p) => p.status === 'adopted' && p.cardIds.includes(cardId))
		.sort((a, b) => (b.decidedAt ?? 0) - (a.decidedAt ?? 0));
	return adopted[0] ? provenanceOf(state, adopted[0]) : null;
}

/** The proposal open for answers now (the newest), else null. */
export function openProposal(state: ConsentState): ConsentProposal | null {
	const open = state.proposals.filter((p) => p.status === 'open');
	return open.sort((a, b) => b.createdAt - a.createdAt)[0] ?? null;
}

/** The proposal the group looks at: open, else the newest whose result is shown. */
export function activeProposal(state: ConsentState): ConsentProposal | null {
	return (
		openProposal(state) ??
		state.proposals
			.filter((p) => p.status === 'revealed')
			.sort((a, b) => b.createdAt - a.createdAt)[0] ??
		null
	);
}

/** What the overview shows of a board's consent: adopted proposals with provenance, parked ones. */
export interface ConsentOverviewItem {
	subject: ConsentSubject;
	text: string;
	status: 'adopted' | 'parked';
	/** Adopted: its provenance; parked: null. */
	provenance: ConsentProvenance | null;
	note: string;
}

export function consentOverview(state: ConsentState | undefined): ConsentOverviewItem[] {
	if (!state) return [];
	return state.proposals
		.filter((p) => p.status === 'adopted' || p.status === 'parked')
		.map((p) => ({
			subject: p.subject,
			text: p.text,
			status: p.status as 'adopted' | 'parked',
			provenance: provenanceOf(state, p),
			note: p.note
		}));
}
