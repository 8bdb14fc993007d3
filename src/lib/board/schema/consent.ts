/**
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
import * as Y from 'yjs';
import {
	adoptProblem,
	CONSENT_ANSWERS,
	CONSENT_LIMITS,
	CONSENT_STATUSES,
	CONSENT_SUBJECTS,
	emptyCounts,
	isConsentAnswer,
	isConsentStatus,
	isConsentSubject,
	openProposal,
	type ConsentAnswer,
	type ConsentAnswerRecord,
	type ConsentNote,
	type ConsentProposal,
	type ConsentRoundResult,
	type ConsentState,
	type ConsentSubject
} from '../../domain/consent.ts';
import { LIMITS } from '../../domain/cards.ts';
import { newId, type CardId, type RoundId } from '../../domain/ids.ts';
import { isPerspective, PERSPECTIVES } from '../../domain/roles.ts';
import { idShape, RECORD_KEY, TIME, type FieldSpec, type RootSpec } from './fields.ts';
import {
	BoardWriteError,
	CARD,
	control,
	CONTROL,
	isRecordMap,
	mapIn,
	num,
	PRIVATE_ROOT,
	ROOT,
	SERVER_ORIGIN,
	str,
	type RecordMap
} from './keys.ts';

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

const facilitator = (shape: FieldSpec['shape']): FieldSpec => ({ shape, writer: 'facilitator' });
const server = (shape: FieldSpec['shape']): FieldSpec => ({ shape, writer: 'server' });
const ROUND_NUMBER = {
	type: 'number',
	min: 1,
	max: CONSENT_LIMITS.roundsMax,
	integer: true
} as const;

export const PROPOSAL_FIELDS: Readonly<Record<keyof typeof PROPOSAL, FieldSpec>> = {
	id: facilitator(idShape()),
	subject: facilitator({ type: 'string', max: 16, values: CONSENT_SUBJECTS }),
	cardIds: facilitator({ type: 'array', item: idShape(), max: CONSENT_LIMITS.cardIdsMax }),
	text: facilitator({ type: 'string', max: CONSENT_LIMITS.textMax }),
	round: facilitator(ROUND_NUMBER),
	roundId: facilitator(idShape()),
	status: facilitator({ type: 'string', max: 16, values: CONSENT_STATUSES }),
	note: facilitator({ type: 'string', max: CONSENT_LIMITS.reasonMax }),
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
	answer: server({ type: 'string', max: 16, values: ['bezwaar', 'parkeren'] }),
	perspective: server({ type: 'string', max: 32, values: PERSPECTIVES }),
	text: server({ type: 'string', max: CONSENT_LIMITS.reasonMax })
};

export const CONSENT_RESULT_FIELDS: Readonly<Record<keyof typeof CONSENT_RESULT, FieldSpec>> = {
	roundId: server(idShape()),
	proposalId: server(idShape()),
	round: server(ROUND_NUMBER),
	text: server({ type: 'string', max: CONSENT_LIMITS.textMax }),
	akkoord: perPerspective,
	bezwaar: perPerspective,
	parkeren: perPerspective,
	notes: server({
		type: 'map',
		map: {
			kind: 'entries',
			key: RECORD_KEY,
			value: server({ type: 'map', map: { kind: 'fields', fields: CONSENT_NOTE_FIELDS } })
		}
	})
};

/** `control.consent`: proposals by id (facilitators). */
export const CONSENT_CONTROL_FIELD: FieldSpec = facilitator({
	type: 'map',
	map: {
		kind: 'entries',
		key: RECORD_KEY,
		value: facilitator({ type: 'map', map: { kind: 'fields', fields: PROPOSAL_FIELDS } })
	}
});

/** `control.consentResults`: shown results by round id (the server only). */
export const CONSENT_RESULTS_CONTROL_FIELD: FieldSpec = server({
	type: 'map',
	map: {
		kind: 'entries',
		key: RECORD_KEY,
		value: server({ type: 'map', map: { kind: 'fields', fields: CONSENT_RESULT_FIELDS } })
	}
});

export const ANSWER_FIELDS: Readonly<Record<keyof typeof ANSWER, FieldSpec>> = {
	answer: { shape: { type: 'string', max: 16, values: CONSENT_ANSWERS }, writer: 'participant' },
	text: { shape: { type: 'string', max: CONSENT_LIMITS.reasonMax }, writer: 'participant' },
	answeredAt: { shape: TIME, writer: 'participant' }
};

/** The private document's `consent` root: one answer per round id. */
export const CONSENT_PRIVATE_ROOT: RootSpec = {
	kind: 'entries',
	key: RECORD_KEY,
	writer: 'participant',
	value: {
		shape: { type: 'map', map: { kind: 'fields', fields: ANSWER_FIELDS } },
		writer: 'participant'
	}
};

// ---------------------------------------------------------------------------------------------
// Reading

function readProposal(map: RecordMap): ConsentProposal | null {
	const id = str(map, PROPOSAL.id);
	const subject = map.get(PROPOSAL.subject);
	const status = map.get(PROPOSAL.status);
	const round = num(map, PROPOSAL.round);
	const roundId = str(map, PROPOSAL.roundId);
	if (!id || !isConsentSubject(subject) || !isConsentStatus(status) || !round || !roundId)
		return null;
	const ids = (map as Y.Map<unknown>).get(PROPOSAL.cardIds);
	const decidedAt = num(map, PROPOSAL.decidedAt);
	return {
		id,
		subject,
		cardIds:
			ids instanceof Y.Array ? ids.toArray().filter((v): v is string => typeof v === 'string') : [],
		text: str(map, PROPOSAL.text) ?? '',
		round,
		roundId,
		status,
		note: str(map, PROPOSAL.note) ?? '',
		createdAt: num(map, PROPOSAL.createdAt) ?? 0,
		decidedAt: decidedAt ?? null
	};
}

function readResult(map: Y.Map<unknown>): ConsentRoundResult | null {
	const roundId = map.get(CONSENT_RESULT.roundId);
	const proposalId = map.get(CONSENT_RESULT.proposalId);
	const round = map.get(CONSENT_RESULT.round);
	if (typeof roundId !== 'string' || typeof proposalId !== 'string' || typeof round !== 'number')
		return null;
	const counts = emptyCounts();
	for (const answer of CONSENT_ANSWERS) {
		const row = map.get(answer);
		if (!(row instanceof Y.Map)) continue;
		for (const p of PERSPECTIVES) {
			const n = row.get(p);
			if (typeof n === 'number' && Number.isInteger(n) && n > 0) counts[answer][p] = n;
		}
	}
	const notes: ConsentNote[] = [];
	const noteMap = map.get(CONSENT_RESULT.notes);
	if (noteMap instanceof Y.Map) {
		const keys = [...noteMap.keys()].sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : 1));
		for (const key of keys) {
			const note = noteMap.get(key);
			if (!(note instanceof Y.Map)) continue;
			const answer = note.get(CONSENT_NOTE.answer);
			const perspective = note.get(CONSENT_NOTE.perspective);
			const text = note.get(CONSENT_NOTE.text);
			if (
				(answer === 'bezwaar' || answer === 'parkeren') &&
				isPerspective(perspective) &&
				typeof text === 'string'
			)
				notes.push({ answer, perspective, text });
		}
	}
	const text = map.get(CONSENT_RESULT.text);
	return {
		roundId,
		proposalId,
		round,
		text: typeof text === 'string' ? text : '',
		counts,
		notes
	};
}

/** Every proposal (oldest first) and every shown result of a board. */
export function readConsent(doc: Y.Doc): ConsentState {
	const map = mapIn(doc, ROOT.control);
	const proposals: ConsentProposal[] = [];
	const results: Record<RoundId, ConsentRoundResult> = {};
	const proposalMap = map?.get(CONTROL.consent);
	if (proposalMap instanceof Y.Map)
		for (const record of proposalMap.values()) {
			if (!isRecordMap(record)) continue;
			const proposal = readProposal(record);
			if (proposal) proposals.push(proposal);
		}
	proposals.sort((a, b) => a.createdAt - b.createdAt);
	const resultMap = map?.get(CONTROL.consentResults);
	if (resultMap instanceof Y.Map)
		for (const [roundId, record] of resultMap.entries()) {
			if (!(record instanceof Y.Map)) continue;
			const result = readResult(record);
			if (result && result.roundId === roundId) results[roundId] = result;
		}
	return { proposals, results };
}

/** The proposal whose current round is `roundId`, as the server's rules need it; null if none. */
export function consentRoundFacts(
	board: Y.Doc,
	roundId: string
): { proposalId: string; status: unknown } | null {
	const proposals = mapIn(board, ROOT.control)?.get(CONTROL.consent);
	if (!(proposals instanceof Y.Map)) return null;
	for (const [id, record] of proposals.entries())
		if (record instanceof Y.Map && record.get(PROPOSAL.roundId) === roundId)
			return { proposalId: id, status: record.get(PROPOSAL.status) };
	return null;
}

/** `proposalId → { status, roundId }` (the server tallies a round when it becomes `revealed`). */
export function consentStatusesOf(doc: Y.Doc): Map<string, { status: unknown; roundId: unknown }> {
	const proposals = mapIn(doc, ROOT.control)?.get(CONTROL.consent);
	const out = new Map<string, { status: unknown; roundId: unknown }>();
	if (proposals instanceof Y.Map)
		for (const [id, record] of proposals.entries())
			if (record instanceof Y.Map)
				out.set(id, { status: record.get(PROPOSAL.status), roundId: record.get(PROPOSAL.roundId) });
	return out;
}

/** One participant's answer in one round, or null. */
export function readConsentAnswer(privateDoc: Y.Doc, roundId: RoundId): ConsentAnswerRecord | null {
	const record = mapIn(privateDoc, PRIVATE_ROOT.consent)?.get(roundId);
	if (!(record instanceof Y.Map)) return null;
	const answer = record.get(ANSWER.answer);
	if (!isConsentAnswer(answer)) return null;
	const text = record.get(ANSWER.text);
	const at = record.get(ANSWER.answeredAt);
	return {
		answer,
		text: typeof text === 'string' ? text : '',
		answeredAt: typeof at === 'number' ? at : 0
	};
}

/** All answers of one participant: round id → answer. */
export function readConsentAnswers(privateDoc: Y.Doc): Record<RoundId, ConsentAnswerRecord> {
	const out: Record<RoundId, ConsentAnswerRecord> = {};
	const root = mapIn(privateDoc, PRIVATE_ROOT.consent);
	if (root)
		for (const roundId of root.keys()) {
			const answer = readConsentAnswer(privateDoc, roundId);
			if (answer) out[roundId] = answer;
		}
	return out;
}

// ---------------------------------------------------------------------------------------------
// Writing: facilitators

function subMap(doc: Y.Doc, key: string): Y.Map<unknown> {
	const map = control(doc);
	const existing = map.get(key);
	if (existing instanceof Y.Map) return existing;
	const created = new Y.Map<unknown>();
	map.set(key, created);
	return created;
}

function proposalRecord(doc: Y.Doc, proposalId: string): RecordMap {
	const record = subMap(doc, CONTROL.consent).get(proposalId);
	if (!isRecordMap(record)) throw new BoardWriteError(`no consent proposal ${proposalId}`);
	return record;
}

function checkText(text: string): string {
	const clean = text.trim();
	if (!clean || clean.length > CONSENT_LIMITS.textMax)
		throw new BoardWriteError('a proposal needs a text', [{ field: 'text', code: 'required' }]);
	return clean;
}

/**
 * Puts a proposal to the group: round 1, open for answers. Only one proposal is open at a time.
 * Returns its id.
 */
export function proposeConsent(
	doc: Y.Doc,
	input: {
		subject: ConsentSubject;
		cardIds: readonly CardId[];
		text: string;
		now: number;
		id?: string;
		roundId?: RoundId;
	},
	origin: unknown = null
): string {
	if (!isConsentSubject(input.subject)) throw new BoardWriteError('unknown subject');
	const text = checkText(input.text);
	if (openProposal(readConsent(doc))) throw new BoardWriteError('a consent round is open already');
	const id = input.id ?? newId();
	doc.transact(() => {
		const record: RecordMap = new Y.Map();
		subMap(doc, CONTROL.consent).set(id, record);
		record.set(PROPOSAL.id, id);
		record.set(PROPOSAL.subject, input.subject);
		const ids = new Y.Array<string>();
		ids.insert(0, [...new Set(input.cardIds)].slice(0, CONSENT_LIMITS.cardIdsMax));
		(record as Y.Map<unknown>).set(PROPOSAL.cardIds, ids);
		record.set(PROPOSAL.text, text);
		record.set(PROPOSAL.round, 1);
		record.set(PROPOSAL.roundId, input.roundId ?? newId());
		record.set(PROPOSAL.status, 'open');
		record.set(PROPOSAL.note, '');
		record.set(PROPOSAL.createdAt, input.now);
		record.set(PROPOSAL.decidedAt, null);
	}, origin);
	return id;
}

/** Shows the result: no more answers; the server counts them into `consentResults`. */
export function revealConsent(doc: Y.Doc, proposalId: string, origin: unknown = null): void {
	doc.transact(() => {
		const record = proposalRecord(doc, proposalId);
		if (record.get(PROPOSAL.status) !== 'open')
			throw new BoardWriteError('this consent round is not open');
		record.set(PROPOSAL.status, 'revealed');
	}, origin);
}

/** Amends the wording and opens the next round (2, 3 …) with a new round id. */
export function amendConsent(
	doc: Y.Doc,
	proposalId: string,
	input: { text: string; roundId?: RoundId },
	origin: unknown = null
): number {
	const text = checkText(input.text);
	const record = proposalRecord(doc, proposalId);
	const status = record.get(PROPOSAL.status);
	if (status !== 'revealed' && status !== 'parked')
		throw new BoardWriteError('show the result before a new round');
	const round = (num(record, PROPOSAL.round) ?? 1) + 1;
	if (round > CONSENT_LIMITS.roundsMax) throw new BoardWriteError('too many rounds');
	if (openProposal(readConsent(doc))) throw new BoardWriteError('a consent round is open already');
	doc.transact(() => {
		record.set(PROPOSAL.text, text);
		record.set(PROPOSAL.round, round);
		record.set(PROPOSAL.roundId, input.roundId ?? newId());
		record.set(PROPOSAL.status, 'open');
		record.set(PROPOSAL.note, '');
		record.set(PROPOSAL.decidedAt, null);
	}, origin);
	return round;
}

/**
 * Adopts the proposal by consent: only when its shown result has no bezwaar. Its cards are
 * marked agreed (the mark carries the provenance, round and bezwaren, through `readConsent`), and
 * an ambition or activity card takes the adopted wording.
 */
export function adoptConsent(
	doc: Y.Doc,
	proposalId: string,
	now: number,
	origin: unknown = null
): void {
	const state = readConsent(doc);
	const proposal = state.proposals.find((p) => p.id === proposalId);
	if (!proposal) throw new BoardWriteError(`no consent proposal ${proposalId}`);
	const problem = adoptProblem(state, proposal);
	if (problem) throw new BoardWriteError(`cannot adopt: ${problem}`);
	doc.transact(() => {
		const record = proposalRecord(doc, proposalId);
		record.set(PROPOSAL.status, 'adopted');
		record.set(PROPOSAL.decidedAt, now);
		const agreed = subMap(doc, CONTROL.agreed);
		for (const cardId of proposal.cardIds) agreed.set(cardId, true);
		// The ambition or activity says what the group agreed: the wording of the adopting round.
		const card = proposal.subject === 'priorities' ? null : proposal.cardIds[0];
		const cardRecord = card ? mapIn(doc, ROOT.cards)?.get(card) : null;
		if (
			cardRecord instanceof Y.Map &&
			proposal.text.length <= LIMITS.cardText &&
			cardRecord.get(CARD.text) !== proposal.text
		)
			cardRecord.set(CARD.text, proposal.text);
	}, origin);
}

/** Parks the proposal with a note (what has to happen first). */
export function parkConsent(
	doc: Y.Doc,
	proposalId: string,
	note: string,
	now: number,
	origin: unknown = null
): void {
	const clean = note.trim();
	if (!clean || clean.length > CONSENT_LIMITS.reasonMax)
		throw new BoardWriteError('a parked proposal needs a note', [
			{ field: 'note', code: 'required' }
		]);
	doc.transact(() => {
		const record = proposalRecord(doc, proposalId);
		const status = record.get(PROPOSAL.status);
		if (status !== 'revealed' && status !== 'open')
			throw new BoardWriteError('this proposal is decided already');
		record.set(PROPOSAL.status, 'parked');
		record.set(PROPOSAL.note, clean);
		record.set(PROPOSAL.decidedAt, now);
	}, origin);
}

// ---------------------------------------------------------------------------------------------
// Writing: the server (results) and participants (answers)

/** Writes a round's shown result (server, on reveal). */
export function writeConsentResult(
	doc: Y.Doc,
	result: ConsentRoundResult,
	origin: unknown = SERVER_ORIGIN
): void {
	doc.transact(() => {
		const map = new Y.Map<unknown>();
		subMap(doc, CONTROL.consentResults).set(result.roundId, map);
		map.set(CONSENT_RESULT.roundId, result.roundId);
		map.set(CONSENT_RESULT.proposalId, result.proposalId);
		map.set(CONSENT_RESULT.round, result.round);
		map.set(CONSENT_RESULT.text, result.text.slice(0, CONSENT_LIMITS.textMax));
		for (const answer of CONSENT_ANSWERS) {
			const row = new Y.Map<number>();
			map.set(answer, row);
			for (const p of PERSPECTIVES)
				if (result.counts[answer][p] > 0) row.set(p, result.counts[answer][p]);
		}
		const notes = new Y.Map<Y.Map<string>>();
		map.set(CONSENT_RESULT.notes, notes);
		result.notes.forEach((note, i) => {
			const entry = new Y.Map<string>();
			notes.set(String(i), entry);
			entry.set(CONSENT_NOTE.answer, note.answer);
			entry.set(CONSENT_NOTE.perspective, note.perspective);
			entry.set(CONSENT_NOTE.text, note.text.slice(0, CONSENT_LIMITS.reasonMax));
		});
	}, origin);
}

/**
 * Writes this participant's answer in round `roundId` of their private document, once. The
 * server refuses a second answer, an answer outside an open round and a bezwaar without reason.
 */
export function answerConsent(
	privateDoc: Y.Doc,
	roundId: RoundId,
	input: { answer: ConsentAnswer; text: string; now: number },
	origin: unknown = null
): void {
	if (!isConsentAnswer(input.answer)) throw new BoardWriteError('unknown answer');
	const text = input.text.trim();
	if (input.answer === 'bezwaar' && !text)
		throw new BoardWriteError('a bezwaar needs a reason', [{ field: 'text', code: 'required' }]);
	if (text.length > CONSENT_LIMITS.reasonMax)
		throw new BoardWriteError('too long', [{ field: 'text', code: 'too_long' }]);
	if (readConsentAnswer(privateDoc, roundId)) throw new BoardWriteError('answered already');
	privateDoc.transact(() => {
		const record = new Y.Map<unknown>();
		privateDoc.getMap<unknown>(PRIVATE_ROOT.consent).set(roundId, record);
		record.set(ANSWER.answer, input.answer);
		record.set(ANSWER.text, input.answer === 'akkoord' ? '' : text);
		record.set(ANSWER.answeredAt, input.now);
	}, origin);
}

/**
 * Writes a proposal and its shown rounds as they were (the server's JSON import): the proposal
 * record with its status, and one result per round. `results` must belong to `proposal.id`.
 */
export function restoreConsent(
	doc: Y.Doc,
	proposal: ConsentProposal,
	results: readonly ConsentRoundResult[],
	origin: unknown = SERVER_ORIGIN
): void {
	doc.transact(() => {
		const record: RecordMap = new Y.Map();
		subMap(doc, CONTROL.consent).set(proposal.id, record);
		record.set(PROPOSAL.id, proposal.id);
		record.set(PROPOSAL.subject, proposal.subject);
		const ids = new Y.Array<string>();
		ids.insert(0, proposal.cardIds.slice(0, CONSENT_LIMITS.cardIdsMax));
		(record as Y.Map<unknown>).set(PROPOSAL.cardIds, ids);
		record.set(PROPOSAL.text, proposal.text.slice(0, CONSENT_LIMITS.textMax));
		record.set(PROPOSAL.round, proposal.round);
		record.set(PROPOSAL.roundId, proposal.roundId);
		record.set(PROPOSAL.status, proposal.status);
		record.set(PROPOSAL.note, proposal.note.slice(0, CONSENT_LIMITS.reasonMax));
		record.set(PROPOSAL.createdAt, proposal.createdAt);
		record.set(PROPOSAL.decidedAt, proposal.decidedAt);
		for (const result of results) writeConsentResult(doc, result, origin);
	}, origin);
}
