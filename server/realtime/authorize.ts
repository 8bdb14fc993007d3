/**
 * Write rules of BOARD-CONTRACT.md, applied to every incoming sync step 2 and update before it
 * touches the server's document. The verdict rests on `can()` (src/lib/domain/roles.ts), the one
 * predicate the UI uses too; this module only works out the facts `can()` needs (whose record, which
 * step, locked, ended) from the paths of `changes.ts`.
 *
 * - observers: any change is refused;
 * - facilitators: everything (the contract's "facilitator: everything"; the server itself marks a
 *   board ended, and a facilitator may still tidy it afterwards);
 * - participants, shared board: cards, links and comments whose `authorId` is theirs, never
 *   `control` or `meta`, nothing in a locked step, no shared cards in a private step, nothing once
 *   `control.ended`;
 * - participants, their private doc: drafts of a private, unlocked step (own `authorId`), and ballots
 *   of an open round within its `votesPerPerson`.
 */
import * as Y from 'yjs';
import { can, type Action, type Role } from '../../src/lib/domain/roles.ts';
import { BOARD_ROOTS, CONTROL, FIELDS, PRIVATE_ROOTS, ROUND } from './board-keys.ts';
import { readChanges, type Change } from './changes.ts';

export type Verdict =
	| { ok: true; empty: boolean; writers: Set<number> }
	/** `missing`: the update needs changes the server lacks; resync instead of refusing. */
	| { ok: false; reason: string; missing?: true };

export interface WriteContext {
	role: Role;
	/** The writer's id as it appears in `authorId`: participant id or user id. */
	actorId: string;
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
	const done = { ok: true as const, empty: changes.length === 0, writers };
	if (changes.length === 0 || ctx.role === 'facilitator') return done;
	if (ctx.role === 'observer') return refuse('observers cannot write');
	const reason =
		ctx.room === 'board'
			? participantBoardWrite(ctx, changes)
			: participantPrivateWrite(ctx, changes, update);
	return reason ? refuse(reason) : done;
}

const refuse = (reason: string) => ({ ok: false as const, reason });

/** The facts about the board's control state the rules need. */
function controlOf(board: Y.Doc) {
	const control = mapIn(board, BOARD_ROOTS.control);
	const flag = (key: string, step: unknown) => {
		const set = control?.get(key);
		return typeof step === 'string' && set instanceof Y.Map && set.get(step) === true;
	};
	return {
		ended: control?.get(CONTROL.ended) === true,
		locked: (step: unknown) => flag(CONTROL.lockedSteps, step),
		private: (step: unknown) => flag(CONTROL.privateSteps, step),
		round(roundId: string): Y.Map<unknown> | null {
			const rounds = control?.get(CONTROL.rounds);
			const round = rounds instanceof Y.Map ? rounds.get(roundId) : null;
			return round instanceof Y.Map ? round : null;
		}
	};
}

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

/** The root map `root` of `doc`, or null when absent or of another type. */
export function mapIn(doc: Y.Doc, root: string): Y.Map<unknown> | null {
	const type = doc.share.get(root);
	if (!type) return null;
	if (type instanceof Y.Map) return type;
	try {
		return doc.getMap(root);
	} catch {
		return null; // defined as another type
	}
}

/** Checks the author fields and returns whether the writer owns the record before and after. */
function ownership(
	ctx: WriteContext,
	existing: unknown,
	record: RecordChanges
): { isOwn: boolean; problem: string | null } {
	const written = record.fields.get(FIELDS.authorId) ?? [];
	if (written.some((value) => value !== ctx.actorId))
		return { isOwn: false, problem: `${record.root}: authorId must be your own id` };
	if (record.created && written.length === 0)
		return { isOwn: false, problem: `${record.root}: a new record needs your authorId` };
	if (existing === undefined) return { isOwn: true, problem: null };
	if (!(existing instanceof Y.Map)) return { isOwn: false, problem: null };
	return { isOwn: existing.get(FIELDS.authorId) === ctx.actorId, problem: null };
}

function actionFor(root: string, record: RecordChanges, exists: boolean): Action {
	if (!exists) return root === BOARD_ROOTS.comments ? 'comment.create' : 'card.create';
	if (record.deleted && !record.created && !record.edited) return 'card.delete';
	return 'card.edit';
}

const stepsOf = (existing: unknown, record: RecordChanges): unknown[] => [
	...(existing instanceof Y.Map ? [existing.get(FIELDS.step)] : []),
	...(record.fields.get(FIELDS.step) ?? [])
];

function participantBoardWrite(ctx: WriteContext, changes: readonly Change[]): string | null {
	const control = controlOf(ctx.board);
	if (control.ended) return 'the session has ended';
	const records = groupByRecord(changes);
	const cards = mapIn(ctx.target, BOARD_ROOTS.cards);
	const newSteps = new Map<string, unknown[]>();
	for (const record of records.values())
		if (record.root === BOARD_ROOTS.cards)
			newSteps.set(record.recordId, record.fields.get(FIELDS.step) ?? []);
	/** Every step a card is in before or after this update. */
	const cardSteps = (cardId: unknown): unknown[] => {
		if (typeof cardId !== 'string') return [];
		const card = cards?.get(cardId);
		return [
			...(card instanceof Y.Map ? [card.get(FIELDS.step)] : []),
			...(newSteps.get(cardId) ?? [])
		];
	};

	for (const record of records.values()) {
		const { root } = record;
		if (root !== BOARD_ROOTS.cards && root !== BOARD_ROOTS.links && root !== BOARD_ROOTS.comments)
			return `participants may not write ${root}`;
		const existing = mapIn(ctx.target, root)?.get(record.recordId);
		if (existing === undefined && !record.created) continue; // writes into a removed record: no effect
		const { isOwn, problem } = ownership(ctx, existing, record);
		if (problem) return problem;

		let steps: unknown[];
		if (root === BOARD_ROOTS.cards) steps = stepsOf(existing, record);
		else {
			const refs =
				root === BOARD_ROOTS.links ? [FIELDS.from, FIELDS.to] : ([FIELDS.cardId] as string[]);
			const ids = refs.flatMap((field) => [
				...(existing instanceof Y.Map ? [existing.get(field)] : []),
				...(record.fields.get(field) ?? [])
			]);
			steps = ids.flatMap(cardSteps);
		}
		if (root === BOARD_ROOTS.cards && steps.some(control.private))
			return 'this step is private: write drafts';
		const action = actionFor(root, record, existing !== undefined);
		if (!can('participant', action, { isOwn, stepLocked: steps.some(control.locked) }))
			return steps.some(control.locked)
				? `this step is locked: ${action} refused`
				: `${action} refused on ${root} ${record.recordId}`;
	}
	return null;
}

function participantPrivateWrite(
	ctx: WriteContext,
	changes: readonly Change[],
	update: Uint8Array
): string | null {
	const control = controlOf(ctx.board);
	if (control.ended) return 'the session has ended';
	const records = groupByRecord(changes);
	const ballotRounds = new Set<string>();
	for (const record of records.values()) {
		if (record.root === PRIVATE_ROOTS.ballots) {
			ballotRounds.add(record.recordId);
			continue;
		}
		if (record.root !== PRIVATE_ROOTS.drafts) return `participants may not write ${record.root}`;
		const existing = mapIn(ctx.target, record.root)?.get(record.recordId);
		if (existing === undefined && !record.created) continue;
		const { isOwn, problem } = ownership(ctx, existing, record);
		if (problem) return problem;
		const steps = stepsOf(existing, record);
		const action = actionFor(PRIVATE_ROOTS.drafts, record, existing !== undefined);
		if (!can('participant', action, { isOwn, stepLocked: steps.some(control.locked) }))
			return `${action} refused on draft ${record.recordId}`;
		if (action !== 'card.delete' && !steps.every(control.private))
			return 'drafts are only for a private step';
	}
	if (ballotRounds.size === 0) return null;

	for (const roundId of ballotRounds) {
		const round = control.round(roundId);
		if (!round || round.get(ROUND.status) !== 'open') return 'this voting round is not open';
		if (!can('participant', 'vote.cast', {})) return 'vote.cast refused';
	}
	// Budgets depend on the state after the update: try it on a scratch copy (private docs are small).
	const scratch = new Y.Doc();
	try {
		Y.applyUpdate(scratch, Y.encodeStateAsUpdate(ctx.target));
		Y.applyUpdate(scratch, update);
		const ballots = scratch.getMap(PRIVATE_ROOTS.ballots);
		for (const roundId of ballotRounds) {
			const ballot = ballots.get(roundId);
			if (ballot === undefined) continue;
			if (!(ballot instanceof Y.Map)) return 'a ballot must be a map';
			const budget = Number(control.round(roundId)?.get(ROUND.votesPerPerson) ?? 0);
			let sum = 0;
			for (const votes of ballot.values()) {
				if (typeof votes !== 'number' || !Number.isInteger(votes) || votes < 0)
					return 'votes must be whole numbers';
				sum += votes;
			}
			if (sum > budget) return `more than ${budget} votes in this round`;
		}
	} finally {
		scratch.destroy();
	}
	return null;
}
