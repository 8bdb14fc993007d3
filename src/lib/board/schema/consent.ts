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
	emptyCounts,
	isConsentAnswer,
	isConsentStatus,
	isConsentSubject,
	type ConsentAnswer,
	type ConsentAnswerRecord,
	type ConsentNote,
	type ConsentProposal,
	type ConsentRoundResult,
	type ConsentState
} from '../../domain/consent.ts';
import type { RoundId } from '../../domain/ids.ts';
import { isPerspective, PERSPECTIVES } from '../../domain/roles.ts';
import { ANSWER, CONSENT_NOTE, CONSENT_RESULT, PROPOSAL } from './consent-fields.ts';
import {
	BoardWriteError,
	CONTROL,
	isRecordMap,
	mapIn,
	num,
	PRIVATE_ROOT,
	ROOT,
	str,
	type RecordMap
} from './keys.ts';

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

/** A change an update would make, as the server reads it (server/realtime/changes.ts). */
export interface ProposedChange {
	kind: 'insert' | 'delete';
	path: readonly string[];
	values?: readonly unknown[];
}

/**
 * Why an update may not adopt a consent proposal, or null (the server's check, beside the
 * facilitator's writer `adoptConsent`): a proposal becomes `adopted` only when, on the board as it
 * is before the update, it is `revealed` and its shown result has no bezwaar (`adoptProblem`), and
 * only when the same update does not also move it to another round. A proposal's round may only
 * move to a round that has no shown result yet (amending opens a new round), so an old result
 * without bezwaar cannot be borrowed.
 */
export function consentAdoptionProblem(
	board: Y.Doc,
	changes: readonly ProposedChange[]
): string | null {
	let state: ConsentState | null = null;
	for (const change of changes) {
		const [root, key, proposalId, field] = change.path;
		if (change.kind !== 'insert' || root !== ROOT.control || key !== CONTROL.consent) continue;
		if (proposalId === undefined) continue;
		if (field === PROPOSAL.roundId) {
			const results = mapIn(board, ROOT.control)?.get(CONTROL.consentResults);
			if (
				results instanceof Y.Map &&
				(change.values ?? []).some((v) => typeof v === 'string' && results.has(v))
			)
				return 'consent: a proposal cannot move to a round that already has a result';
		}
		// A new proposal record's fields arrive as changes of their own: its status is one of them.
		if (field !== PROPOSAL.status || !change.values?.includes('adopted')) continue;
		state ??= readConsent(board);
		const proposal = state.proposals.find((p) => p.id === proposalId);
		if (proposal?.status === 'adopted') continue;
		const problem = proposal ? adoptProblem(state, proposal) : 'no_result';
		if (problem) return `consent: cannot adopt (${problem})`;
		const moves = changes.some(
			(c) =>
				c.path[0] === ROOT.control &&
				c.path[1] === CONTROL.consent &&
				c.path[2] === proposalId &&
				(c.path[3] === PROPOSAL.roundId || c.path[3] === PROPOSAL.round)
		);
		if (moves) return 'consent: cannot adopt and change the round at once';
	}
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
// Writing: participants (the facilitators' and the server's writers are in consent-writers.ts,
// which participants' phones never load)

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
