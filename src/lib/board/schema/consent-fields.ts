/**
 * Consent rounds: the field keys and declarations (what the server's judge and the writers follow).
 * Readers are in `consent.ts`, writers in `consent-writers.ts`. Kept apart so that a participant's
 * first load carries only these.
 *
 * Consent rounds (domain/consent.ts) in the board documents:
 * - `control.consent.<proposalId>`: the proposal (facilitators write it): subject, cards, wording,
 *   round number and id, status, parking note;
 * - `control.consentResults.<roundId>`: a round's shown result (only the server writes it, when
 *   the facilitator sets the proposal to `revealed`): counts per answer per perspective, and the
 *   reasons and notes with their perspective, never a name;
 * - a participant's private document, `consent.<roundId>`: their one answer in that round (answer,
 *   reason or note, time). Only that participant and the facilitators receive it.
 *
 * The server's extra rules for answers (own document only, an open round, once, a bezwaar with a
 * reason) are in server/realtime/authorize.ts, with `answerProblem` of the domain.
 */
import {
	CONSENT_ANSWERS,
	CONSENT_LIMITS,
	CONSENT_STATUSES,
	CONSENT_SUBJECTS
} from '../../domain/consent-values.ts';
import { PERSPECTIVES } from '../../domain/roles.ts';
import {
	idShape,
	RECORD_KEY,
	TIME,
	type FieldSpec,
	type MapSpec,
	type RootSpec,
	type Writer
} from './fields.ts';

/** Field keys of a proposal record (`control.consent.<id>`). */
export const PROPOSAL = {
	id: 'id',
	subject: 'subject',
	cardIds: 'cardIds',
	text: 'text',
	round: 'round',
	roundId: 'roundId',
	status: 'status',
	note: 'note',
	createdAt: 'createdAt',
	decidedAt: 'decidedAt'
} as const;

/** Field keys of a shown result (`control.consentResults.<roundId>`). */
export const CONSENT_RESULT = {
	roundId: 'roundId',
	proposalId: 'proposalId',
	round: 'round',
	text: 'text',
	akkoord: 'akkoord',
	bezwaar: 'bezwaar',
	parkeren: 'parkeren',
	notes: 'notes'
} as const;

/** Field keys of a reason or note in a result. */
export const CONSENT_NOTE = { answer: 'answer', perspective: 'perspective', text: 'text' } as const;

/** Field keys of an answer in a private document (`consent.<roundId>`). */
export const ANSWER = { answer: 'answer', text: 'text', answeredAt: 'answeredAt' } as const;

// The helpers below only build plain objects: marked free of side effects, so that a page that
// never judges a change (the participant's phone) does not carry these declarations.

/** A field of `shape`, written by `writer`. */
/* @__NO_SIDE_EFFECTS__ */
function field(writer: Writer, shape: FieldSpec['shape']): FieldSpec {
	return { shape, writer };
}
/* @__NO_SIDE_EFFECTS__ */
const facilitator = (shape: FieldSpec['shape']) => field('facilitator', shape);
/* @__NO_SIDE_EFFECTS__ */
const server = (shape: FieldSpec['shape']) => field('server', shape);
/* @__NO_SIDE_EFFECTS__ */
const participant = (shape: FieldSpec['shape']) => field('participant', shape);
/** Records keyed by id, each with `fields`, all written by `writer`. */
/* @__NO_SIDE_EFFECTS__ */
function recordsById(writer: Writer, fields: Readonly<Record<string, FieldSpec>>): MapSpec {
	return {
		kind: 'entries',
		key: RECORD_KEY,
		value: field(writer, { type: 'map', map: { kind: 'fields', fields } })
	};
}
/** A root of such records. */
/* @__NO_SIDE_EFFECTS__ */
function recordsRoot(writer: Writer, fields: Readonly<Record<string, FieldSpec>>): RootSpec {
	return { ...recordsById(writer, fields), writer };
}
/** A short string from a fixed list. */
/* @__NO_SIDE_EFFECTS__ */
const oneOf = (values: readonly string[], max = 16) => ({ type: 'string', max, values }) as const;
/* @__NO_SIDE_EFFECTS__ */
const text = (max: number) => ({ type: 'string', max }) as const;
const ROUND_NUMBER = {
	type: 'number',
	min: 1,
	max: CONSENT_LIMITS.roundsMax,
	integer: true
} as const;

export const PROPOSAL_FIELDS: Readonly<Record<keyof typeof PROPOSAL, FieldSpec>> = {
	id: facilitator(idShape()),
	subject: facilitator(oneOf(CONSENT_SUBJECTS)),
	cardIds: facilitator({ type: 'array', item: idShape(), max: CONSENT_LIMITS.cardIdsMax }),
	text: facilitator(text(CONSENT_LIMITS.textMax)),
	round: facilitator(ROUND_NUMBER),
	roundId: facilitator(idShape()),
	status: facilitator(oneOf(CONSENT_STATUSES)),
	note: facilitator(text(CONSENT_LIMITS.reasonMax)),
	createdAt: facilitator(TIME),
	decidedAt: facilitator({ ...TIME, nullable: true })
};

const perPerspective: FieldSpec = server({
	type: 'map',
	map: {
		kind: 'entries',
		key: { values: PERSPECTIVES, max: 32 },
		value: server({ type: 'number', min: 0, max: 1e6, integer: true })
	}
});

export const CONSENT_NOTE_FIELDS: Readonly<Record<keyof typeof CONSENT_NOTE, FieldSpec>> = {
	answer: server(oneOf(['bezwaar', 'parkeren'])),
	perspective: server(oneOf(PERSPECTIVES, 32)),
	text: server(text(CONSENT_LIMITS.reasonMax))
};

export const CONSENT_RESULT_FIELDS: Readonly<Record<keyof typeof CONSENT_RESULT, FieldSpec>> = {
	roundId: server(idShape()),
	proposalId: server(idShape()),
	round: server(ROUND_NUMBER),
	text: server(text(CONSENT_LIMITS.textMax)),
	akkoord: perPerspective,
	bezwaar: perPerspective,
	parkeren: perPerspective,
	notes: server({ type: 'map', map: recordsById('server', CONSENT_NOTE_FIELDS) })
};

/** `control.consent`: proposals by id (facilitators). */
export const CONSENT_CONTROL_FIELD: FieldSpec = facilitator({
	type: 'map',
	map: recordsById('facilitator', PROPOSAL_FIELDS)
});

/** `control.consentResults`: shown results by round id (the server only). */
export const CONSENT_RESULTS_CONTROL_FIELD: FieldSpec = server({
	type: 'map',
	map: recordsById('server', CONSENT_RESULT_FIELDS)
});

export const ANSWER_FIELDS: Readonly<Record<keyof typeof ANSWER, FieldSpec>> = {
	answer: participant(oneOf(CONSENT_ANSWERS)),
	text: participant(text(CONSENT_LIMITS.reasonMax)),
	answeredAt: participant(TIME)
};

/** The private document's `consent` root: one answer per round id. */
export const CONSENT_PRIVATE_ROOT: RootSpec = recordsRoot('participant', ANSWER_FIELDS);
