/**
 * Write rules of the board schema (src/lib/board/schema/, server/realtime/README.md), applied to every incoming sync step 2 and update before it
 * touches the server's document. Two judges, both reading only what the update touches:
 *
 * 1. the schema (`judgeChanges`, src/lib/board/schema/validate.ts): every written value has its
 *    field's type, allowed values and length; no unknown field; each field written only by whom it
 *    allows (facilitator-only fields, server-only fields); a participant's byline is their own.
 *    This holds for facilitators too, except the byline (a merge lists other people as co-authors).
 * 2. the rules of `can()` (src/lib/domain/roles.ts), the one predicate the UI uses too; this module
 *    works out the facts `can()` needs (whose record, which step, locked, ended):
 *    - observers: any change is refused;
 *    - facilitators: everything the schema allows;
 *    - participants, shared board: cards, links and comments whose `authorId` is theirs, nothing in
 *      a locked step, no shared cards in a private or anonymous step, nothing once `control.ended`; glossary
 *      readings of their own (the schema binds a reading's perspective to theirs), never terms;
 *    - participants, their private doc: drafts of a private, unlocked step (own `authorId`),
 *      ballots of an open round within its `votesPerPerson`, and one consent answer per open
 *      consent round, never changed or removed, a bezwaar with a reason (`consentAnswerProblem`);
 *    - facilitators never write consent answers in a participant's private doc, and adopt a
 *      consent proposal only when its shown result has no bezwaar (`consentAdoptionProblem`);
 *      a voting round's anonymity is fixed once the round exists (`roundAnonymityProblem`).
 *
 * A refusal's reason starts with its kind (`REFUSALS` in domain/close-codes.ts), then names the
 * field or rule.
 */
import * as Y from 'yjs';
import {
	CARD,
	COMMENT,
	controlFacts,
	judgeChanges,
	LINK,
	mapIn,
	PRIVATE_ROOT,
	ROOT,
	type AuthoredRecord
} from '../../src/lib/board/schema/index.ts';
import { roundAnonymityProblem } from '../../src/lib/board/schema/anonymity.ts';
import { refusalReason, type Refusal } from '../../src/lib/domain/close-codes.ts';
import { consentAdoptionProblem, consentRoundFacts } from '../../src/lib/board/schema/consent.ts';
import { answerProblem } from '../../src/lib/domain/consent.ts';
import { can, type Action, type Perspective, type Role } from '../../src/lib/domain/roles.ts';
import { readChanges, type Change } from './changes.ts';

export type Verdict =
	| {
			ok: true;
			empty: boolean;
			writers: Set<number>;
			/** Authored records as the update leaves them (for the quotas). */
			records: AuthoredRecord[];
			/** Characters of text the update writes. */
			written: number;
			/** The update removes something (a record or an old value). */
			deletes: boolean;
			/** The update only removes: it never makes a board bigger. */
			onlyDeletes: boolean;
	  }
	/** `missing`: the update needs changes the server lacks; resync instead of refusing. */
	| { ok: false; reason: string; missing?: true };

export interface WriteContext {
	role: Role;
	/** The writer's id as it appears in `authorId`: participant id or user id. */
	actorId: string;
	/** The writer's name and perspective as the server knows them (the participant's byline). */
	name: string;
	perspective: Perspective | null;
	/** Which kind of document is written. */
	room: 'board' | 'private';
	/** The document written to. */
	target: Y.Doc;
	/** The shared board document (control state); the same as `target` for the board room. */
	board: Y.Doc;
}

/** Judges one incoming update. Never throws. */
export function authorizeUpdate(ctx: WriteContext, update: Uint8Array): Verdict {
	const read = readChanges(ctx.target, update);
	if (!read.ok) return read;
	const { changes, writers } = read;
	const deletes = changes.some((change) => change.kind === 'delete');
	const base = {
		ok: true as const,
		empty: changes.length === 0,
		writers,
		records: [] as AuthoredRecord[],
		written: 0,
		deletes,
		onlyDeletes: changes.every((change) => change.kind === 'delete')
	};
	if (changes.length === 0) return base;
	if (ctx.role === 'observer') return refuse('rule', 'observers cannot write');
	const judgement = judgeChanges(ctx.room, ctx.target, changes, {
		role: ctx.role,
		byline: { authorId: ctx.actorId, authorName: ctx.name, perspective: ctx.perspective }
	});
	if (!judgement.ok) return refuse(judgement.code, `${judgement.field} ${judgement.problem}`);
	const done = { ...base, records: judgement.records, written: judgement.written };
	if (ctx.role === 'facilitator') {
		// Nobody answers a consent round for someone else, facilitators included.
		if (ctx.room === 'private' && changes.some((c) => c.path[0] === PRIVATE_ROOT.consent))
			return refuse('rule', 'consent: only the participant answers for themselves');
		if (ctx.room === 'board') {
			// Consent means no bezwaar: the server, not the console, decides when a proposal is adopted.
			const adoption = consentAdoptionProblem(ctx.board, changes);
			if (adoption) return refuse('rule', adoption);
			// An anonymous round stays anonymous: its setting is fixed when it opens.
			const anonymity = roundAnonymityProblem(ctx.board, changes);
			if (anonymity) return refuse('rule', anonymity);
		}
		return done;
	}
	const problem =
		ctx.room === 'board'
			? participantBoardWrite(ctx, changes)
			: participantPrivateWrite(ctx, changes);
	return problem ? refuse(problem.kind, problem.detail) : done;
}

const refuse = (kind: Refusal, detail: string) => ({
	ok: false as const,
	reason: refusalReason(kind, detail)
});

type Problem = { kind: Refusal; detail: string } | null;
const rule = (detail: string): Problem => ({ kind: 'rule', detail });
const ENDED: Problem = { kind: 'ended', detail: 'the session has ended' };

/** Changes grouped per record: `root/recordId`. */
interface RecordChanges {
	root: string;
	recordId: string;
	/** The record value itself is set (created or replaced). */
	created: boolean;
	/** The record value itself is deleted. */
	deleted: boolean;
	/** Field values written, per field (only direct fields of the record). */
	fields: Map<string, unknown[]>;
	/** Something below the record changed (fields, nested types). */
	edited: boolean;
}

function groupByRecord(changes: readonly Change[]): Map<string, RecordChanges> {
	const records = new Map<string, RecordChanges>();
	for (const change of changes) {
		const [root, recordId] = change.path;
		const key = `${root}\u0000${recordId}`;
		let record = records.get(key);
		if (!record) {
			record = { root, recordId, created: false, deleted: false, fields: new Map(), edited: false };
			records.set(key, record);
		}
		if (change.path.length === 2) {
			if (change.kind === 'insert') record.created = true;
			else record.deleted = true;
		} else {
			record.edited = true;
			if (change.kind === 'insert' && change.path.length === 3) {
				const values = record.fields.get(change.path[2]) ?? [];
				values.push(...change.values);
				record.fields.set(change.path[2], values);
			}
		}
	}
	return records;
}

/** Checks the author fields and returns whether the writer owns the record before and after. */
function ownership(
	ctx: WriteContext,
	existing: unknown,
	record: RecordChanges
): { isOwn: boolean; problem: Problem } {
	const written = record.fields.get(CARD.authorId) ?? [];
	if (written.some((value) => value !== ctx.actorId))
		return {
			isOwn: false,
			problem: { kind: 'byline', detail: `${record.root}.authorId must be your own id` }
		};
	if (record.created && written.length === 0)
		return { isOwn: false, problem: rule(`${record.root}: a new record needs your authorId`) };
	if (existing === undefined) return { isOwn: true, problem: null };
	if (!(existing instanceof Y.Map)) return { isOwn: false, problem: null };
	return { isOwn: existing.get(CARD.authorId) === ctx.actorId, problem: null };
}

function actionFor(root: string, record: RecordChanges, exists: boolean): Action {
	if (!exists) return root === ROOT.comments ? 'comment.create' : 'card.create';
	if (record.deleted && !record.created && !record.edited) return 'card.delete';
	return 'card.edit';
}

const stepsOf = (existing: unknown, record: RecordChanges): unknown[] => [
	...(existing instanceof Y.Map ? [existing.get(CARD.step)] : []),
	...(record.fields.get(CARD.step) ?? [])
];

function participantBoardWrite(ctx: WriteContext, changes: readonly Change[]): Problem {
	const control = controlFacts(ctx.board);
	if (control.ended) return ENDED;
	const records = groupByRecord(changes);
	const cards = mapIn(ctx.target, ROOT.cards);
	const newSteps = new Map<string, unknown[]>();
	for (const record of records.values())
		if (record.root === ROOT.cards)
			newSteps.set(record.recordId, record.fields.get(CARD.step) ?? []);
	/** Every step a card is in before or after this update. */
	const cardSteps = (cardId: unknown): unknown[] => {
		if (typeof cardId !== 'string') return [];
		const card = cards?.get(cardId);
		return [
			...(card instanceof Y.Map ? [card.get(CARD.step)] : []),
			...(newSteps.get(cardId) ?? [])
		];
	};

	for (const record of records.values()) {
		const { root } = record;
		if (root === ROOT.readings) {
			const problem = readingWrite(ctx, record);
			if (problem) return problem;
			continue;
		}
		if (root !== ROOT.cards && root !== ROOT.links && root !== ROOT.comments)
			return rule(`participants may not write ${root}`);
		const existing = mapIn(ctx.target, root)?.get(record.recordId);
		if (existing === undefined && !record.created) continue; // writes into a removed record: no effect
		const { isOwn, problem } = ownership(ctx, existing, record);
		if (problem) return problem;

		let steps: unknown[];
		if (root === ROOT.cards) steps = stepsOf(existing, record);
		else {
			const refs = root === ROOT.links ? [LINK.from, LINK.to] : [COMMENT.cardId];
			const ids = refs.flatMap((field) => [
				...(existing instanceof Y.Map ? [existing.get(field)] : []),
				...(record.fields.get(field) ?? [])
			]);
			steps = ids.flatMap(cardSteps);
		}
		if (root === ROOT.cards && steps.some(control.private))
			return rule('this step is private: write drafts');
		// An anonymous step: a shared card would carry the writer's byline (domain/anonymity.ts).
		if (root === ROOT.cards && steps.some(control.anonymous))
			return { kind: 'byline', detail: 'cards.authorId: this step is anonymous, write drafts' };
		const action = actionFor(root, record, existing !== undefined);
		if (!can('participant', action, { isOwn, stepLocked: steps.some(control.locked) }))
			return rule(
				steps.some(control.locked)
					? `this step is locked: ${action} refused`
					: `${action} refused on ${root} ${record.recordId}`
			);
	}
	return null;
}

/** A participant's glossary reading: only their own (proposing, changing, removing). */
function readingWrite(ctx: WriteContext, record: RecordChanges): Problem {
	const existing = mapIn(ctx.target, ROOT.readings)?.get(record.recordId);
	if (existing === undefined && !record.created) return null;
	const { isOwn, problem } = ownership(ctx, existing, record);
	if (problem) return problem;
	const action = existing === undefined ? 'glossary.propose' : 'glossary.edit';
	if (!can('participant', action, { isOwn }))
		return rule(`${action} refused on readings ${record.recordId}`);
	return null;
}

/**
 * One round's ballot (card → votes) after `changes`, or null when it is gone. A value written in
 * the update wins over a removal in it (an overwrite removes the old value and writes the new one).
 */
function ballotAfter(
	target: Y.Doc,
	roundId: string,
	changes: readonly Change[]
): Map<string, unknown> | null {
	const written = new Map<string, unknown>();
	const removed = new Set<string>();
	let replaced = false;
	let deleted = false;
	for (const change of changes) {
		const [root, round, cardId] = change.path;
		if (root !== PRIVATE_ROOT.ballots || round !== roundId) continue;
		const live = change.kind === 'insert' && !(change.content instanceof Y.ContentDeleted);
		if (change.path.length === 2) {
			if (live) replaced = true;
			else if (change.kind === 'delete') deleted = true;
		} else if (change.path.length === 3) {
			if (live) written.set(cardId, change.values[change.values.length - 1]);
			else if (change.kind === 'delete') removed.add(cardId);
		}
	}
	const existing = mapIn(target, PRIVATE_ROOT.ballots)?.get(roundId);
	if (!replaced && (deleted || !(existing instanceof Y.Map))) return null;
	const ballot = new Map<string, unknown>(
		!replaced && existing instanceof Y.Map ? existing.entries() : []
	);
	for (const cardId of removed) ballot.delete(cardId);
	for (const [cardId, votes] of written) ballot.set(cardId, votes);
	return ballot;
}

/**
 * A consent answer: only in the round open now, written once in one update (answer, text, time)
 * and never changed or removed afterwards, a bezwaar with a reason.
 */
function consentAnswerProblem(ctx: WriteContext, record: RecordChanges): Problem {
	const round = consentRoundFacts(ctx.board, record.recordId);
	const existing = mapIn(ctx.target, PRIVATE_ROOT.consent)?.get(record.recordId);
	const last = (field: string) => record.fields.get(field)?.at(-1);
	const text = last('text');
	const problem = answerProblem(
		round ? { status: round.status, roundId: record.recordId } : null,
		record.recordId,
		{ answer: last('answer'), text: typeof text === 'string' ? text : '' },
		existing !== undefined || !record.created || record.deleted
	);
	switch (problem) {
		case null:
			return null;
		case 'not_open':
			return rule('consent: this proposal is not open for answers');
		case 'already_answered':
			return rule('consent: you answered already in this consent round');
		case 'reason_required':
			return { kind: 'consent-reason', detail: 'a bezwaar needs a reason' };
		default:
			return rule(`consent: ${problem}`);
	}
}

function participantPrivateWrite(ctx: WriteContext, changes: readonly Change[]): Problem {
	const control = controlFacts(ctx.board);
	if (control.ended) return ENDED;
	const records = groupByRecord(changes);
	const ballotRounds = new Set<string>();
	for (const record of records.values()) {
		if (record.root === PRIVATE_ROOT.ballots) {
			ballotRounds.add(record.recordId);
			continue;
		}
		if (record.root === PRIVATE_ROOT.consent) {
			const problem = consentAnswerProblem(ctx, record);
			if (problem) return problem;
			continue;
		}
		if (record.root !== PRIVATE_ROOT.drafts)
			return rule(`participants may not write ${record.root}`);
		const existing = mapIn(ctx.target, record.root)?.get(record.recordId);
		if (existing === undefined && !record.created) continue;
		const { isOwn, problem } = ownership(ctx, existing, record);
		if (problem) return problem;
		const steps = stepsOf(existing, record);
		const action = actionFor(PRIVATE_ROOT.drafts, record, existing !== undefined);
		if (!can('participant', action, { isOwn, stepLocked: steps.some(control.locked) }))
			return rule(`${action} refused on draft ${record.recordId}`);
		if (action !== 'card.delete' && !steps.every(control.private))
			return rule('drafts are only for a private step');
	}
	if (ballotRounds.size === 0) return null;

	for (const roundId of ballotRounds) {
		const round = control.round(roundId);
		if (!round || round.status !== 'open') return rule('this voting round is not open');
		if (!can('participant', 'vote.cast', {})) return rule('vote.cast refused');
	}
	// Budgets depend on the ballot as the update leaves it: what it had, with what the update
	// writes and removes (only the touched rounds are read).
	for (const roundId of ballotRounds) {
		const ballot = ballotAfter(ctx.target, roundId, changes);
		if (ballot === null) continue;
		const budget = control.round(roundId)?.votesPerPerson ?? 0;
		let sum = 0;
		for (const votes of ballot.values()) {
			if (typeof votes !== 'number' || !Number.isInteger(votes) || votes < 0)
				return rule('votes must be whole numbers');
			sum += votes;
		}
		if (sum > budget) return rule(`more than ${budget} votes in this round`);
	}
	return null;
}
