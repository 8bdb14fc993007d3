/**
 * The writers of consent rounds for facilitators (propose, show the result, amend, adopt, park)
 * and the server (a round's result, the JSON import). Apart from `consent.ts` so that the
 * participant's board never downloads them; the fields they write are declared there.
 */
import * as Y from 'yjs';
import { LIMITS } from '../../domain/cards.ts';
import {
	adoptProblem,
	CONSENT_ANSWERS,
	CONSENT_LIMITS,
	isConsentSubject,
	openProposal,
	type ConsentProposal,
	type ConsentRoundResult,
	type ConsentSubject
} from '../../domain/consent.ts';
import { newId, type CardId, type RoundId } from '../../domain/ids.ts';
import { PERSPECTIVES } from '../../domain/roles.ts';
import { CONSENT_NOTE, CONSENT_RESULT, PROPOSAL } from './consent-fields.ts';
import { readConsent } from './consent.ts';
import {
	BoardWriteError,
	CARD,
	control,
	CONTROL,
	isRecordMap,
	mapIn,
	num,
	ROOT,
	SERVER_ORIGIN,
	type RecordMap
} from './keys.ts';

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
