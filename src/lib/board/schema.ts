/**
 * The board document's shape: the ONLY module that spells Yjs root names and field keys.
 * Browser (`board.svelte.ts`) and server (`server/`) both read and write boards through it.
 * See notes/BOARD-CONTRACT.md for the contract this implements.
 *
 * - Shared doc roots: `meta`, `cards`, `links`, `comments`, `control` ({@link ROOT}).
 * - Private doc roots (one per participant): `drafts`, `ballots` ({@link PRIVATE_ROOT}).
 * - One nested Y.Map per record (cards, links, comments, rounds), never a JSON blob, so concurrent
 *   edits to different fields of one record both survive.
 * - Order is a fractional-index string (`fractional-indexing`).
 * - Every writer runs in one `doc.transact(fn, origin)`; pass your own origin object to make the
 *   edit undoable by a `Y.UndoManager` that tracks it, or {@link SERVER_ORIGIN} on the server.
 * - Readers never throw on bad data: malformed records are skipped.
 *
 * Only the server initialises a document ({@link createBoardDoc} with `init`, or {@link migrate}):
 * nested control maps created concurrently by two clients would overwrite each other.
 */
import * as Y from 'yjs';
import { generateKeyBetween } from 'fractional-indexing';
import {
	cleanOwners,
	compareCards,
	isCardKind,
	isMeasureKind,
	isOutcomeKind,
	validateCardInput,
	validateCardPatch,
	validateComment,
	type Card,
	type CardDetails,
	type CardInput,
	type CardPatch,
	type Comment,
	type ValidationIssue
} from '../domain/cards.ts';
import { newId, type AuthorId, type BoardId, type CardId, type RoundId } from '../domain/ids.ts';
import { linkProblem, type Link, type LinkProblem } from '../domain/links.ts';
import { isPerspective, PERSPECTIVES, type Perspective } from '../domain/roles.ts';
import {
	assembleSnapshot,
	DEFAULT_CONTROL,
	type BoardControl,
	type BoardMeta,
	type BoardSnapshot
} from '../domain/snapshot.ts';
import { isStepId, stepOfKind, STEP_IDS, type StepId } from '../domain/steps.ts';
import {
	isRoundStatus,
	isValidVotesPerPerson,
	type Ballot,
	type RoundResults,
	type RoundStatus,
	type VotingRound
} from '../domain/votes.ts';

/** Bump when the shape changes, and add a step to {@link migrate}. */
export const SCHEMA_VERSION = 1;

/** The origin the server uses for its own writes (reveal, results, migrations). */
export const SERVER_ORIGIN = 'server';

/** Top-level types of the shared board document. */
export const ROOT = {
	meta: 'meta',
	cards: 'cards',
	links: 'links',
	comments: 'comments',
	control: 'control'
} as const;
export type RootName = (typeof ROOT)[keyof typeof ROOT];

/** Top-level types of a participant's private document. */
export const PRIVATE_ROOT = { drafts: 'drafts', ballots: 'ballots' } as const;
export type PrivateRootName = (typeof PRIVATE_ROOT)[keyof typeof PRIVATE_ROOT];

/** Roots whose records carry an `authorId` (participants may write only their own). */
export const AUTHORED_ROOTS = [ROOT.cards, ROOT.links, ROOT.comments] as const;
export type AuthoredRoot = (typeof AUTHORED_ROOTS)[number];

export const META = {
	schemaVersion: 'schemaVersion',
	boardId: 'boardId',
	themeName: 'themeName'
} as const;

/** Field keys of a card record (shared `cards` and private `drafts`). */
export const CARD = {
	id: 'id',
	step: 'step',
	kind: 'kind',
	text: 'text',
	authorId: 'authorId',
	authorName: 'authorName',
	perspective: 'perspective',
	createdAt: 'createdAt',
	order: 'order',
	coAuthors: 'coAuthors',
	mergedInto: 'mergedInto',
	horizonYears: 'horizonYears',
	outcomeKind: 'outcomeKind',
	owners: 'owners',
	isNew: 'isNew',
	quality: 'quality',
	measureKind: 'measureKind',
	instrument: 'instrument',
	baseline: 'baseline',
	target: 'target',
	moments: 'moments',
	owner: 'owner'
} as const;

export const LINK = { id: 'id', from: 'from', to: 'to', authorId: 'authorId' } as const;

export const COMMENT = {
	id: 'id',
	cardId: 'cardId',
	text: 'text',
	authorId: 'authorId',
	authorName: 'authorName',
	createdAt: 'createdAt'
} as const;

export const CONTROL = {
	currentStep: 'currentStep',
	follow: 'follow',
	timerEndsAt: 'timerEndsAt',
	timerPausedLeft: 'timerPausedLeft',
	lockedSteps: 'lockedSteps',
	privateSteps: 'privateSteps',
	spotlight: 'spotlight',
	joiningOpen: 'joiningOpen',
	ended: 'ended',
	agreed: 'agreed',
	priorityOrder: 'priorityOrder',
	rounds: 'rounds',
	results: 'results'
} as const;

export const ROUND = {
	id: 'id',
	status: 'status',
	votesPerPerson: 'votesPerPerson',
	createdAt: 'createdAt'
} as const;

/** Values stored in a record map. */
export type FieldValue = string | number | boolean | null;
type RecordMap = Y.Map<FieldValue>;
type RecordsMap = Y.Map<RecordMap>;

/** Who writes a record: stored on it as author fields. */
export interface Author {
	id: AuthorId;
	name: string;
	perspective: Perspective | null;
}

/** A writer was asked for something the schema or the domain rules refuse. */
export class BoardWriteError extends Error {
	constructor(
		message: string,
		readonly issues: ValidationIssue[] = [],
		readonly linkProblem: LinkProblem | null = null
	) {
		super(message);
		this.name = 'BoardWriteError';
	}
}

// ---------------------------------------------------------------------------------------------
// Documents

export interface BoardInit {
	boardId: BoardId;
	themeName: string;
}

/**
 * A new shared board document. With `init` (server only) it is initialised at
 * {@link SCHEMA_VERSION}; without, it is empty and waits for the server's state.
 */
export function createBoardDoc(init?: BoardInit): Y.Doc {
	const doc = new Y.Doc();
	if (init) migrate(doc, init);
	return doc;
}

/** A new private document (drafts and ballots of one participant). */
export function createPrivateDoc(): Y.Doc {
	return new Y.Doc();
}

/**
 * Brings a shared document up to {@link SCHEMA_VERSION}: creates missing control maps and defaults,
 * records the version. Idempotent: a second call changes nothing (and emits no update). Server only.
 * Returns whether anything changed.
 */
export function migrate(
	doc: Y.Doc,
	init?: Partial<BoardInit>,
	origin: unknown = SERVER_ORIGIN
): boolean {
	const meta = doc.getMap<FieldValue>(ROOT.meta);
	const control = doc.getMap<unknown>(ROOT.control);
	const version = meta.get(META.schemaVersion);
	const needs =
		typeof version !== 'number' ||
		version < SCHEMA_VERSION ||
		(init?.boardId !== undefined && meta.get(META.boardId) !== init.boardId) ||
		(init?.themeName !== undefined && meta.get(META.themeName) !== init.themeName);
	if (!needs) return false;
	doc.transact(() => {
		// v0 -> v1: meta and the control defaults.
		if (typeof version !== 'number' || version < 1) {
			const defaults: [string, FieldValue][] = [
				[CONTROL.currentStep, DEFAULT_CONTROL.currentStep],
				[CONTROL.follow, DEFAULT_CONTROL.follow],
				[CONTROL.timerEndsAt, null],
				[CONTROL.timerPausedLeft, null],
				[CONTROL.spotlight, null],
				[CONTROL.joiningOpen, DEFAULT_CONTROL.joiningOpen],
				[CONTROL.ended, false]
			];
			for (const [key, value] of defaults) if (!control.has(key)) control.set(key, value);
			for (const key of [
				CONTROL.lockedSteps,
				CONTROL.privateSteps,
				CONTROL.agreed,
				CONTROL.rounds,
				CONTROL.results
			])
				if (!(control.get(key) instanceof Y.Map)) control.set(key, new Y.Map());
			if (!(control.get(CONTROL.priorityOrder) instanceof Y.Array))
				control.set(CONTROL.priorityOrder, new Y.Array<string>());
		}
		// Future: if (version < 2) { ... }
		if (meta.get(META.schemaVersion) !== SCHEMA_VERSION)
			meta.set(META.schemaVersion, SCHEMA_VERSION);
		if (init?.boardId !== undefined && meta.get(META.boardId) !== init.boardId)
			meta.set(META.boardId, init.boardId);
		if (init?.themeName !== undefined && meta.get(META.themeName) !== init.themeName)
			meta.set(META.themeName, init.themeName);
		if (!meta.has(META.boardId)) meta.set(META.boardId, '');
		if (!meta.has(META.themeName)) meta.set(META.themeName, '');
	}, origin);
	return true;
}

/** The shared document's root types, for observers (`observeDeep`) and undo scopes. */
export function sharedTypes(doc: Y.Doc) {
	return {
		meta: doc.getMap<FieldValue>(ROOT.meta),
		cards: doc.getMap<RecordMap>(ROOT.cards),
		links: doc.getMap<RecordMap>(ROOT.links),
		comments: doc.getMap<RecordMap>(ROOT.comments),
		control: doc.getMap<unknown>(ROOT.control)
	};
}

/** A private document's root types, for observers and undo scopes. */
export function privateTypes(doc: Y.Doc) {
	return {
		drafts: doc.getMap<RecordMap>(PRIVATE_ROOT.drafts),
		ballots: doc.getMap<unknown>(PRIVATE_ROOT.ballots)
	};
}

function records(doc: Y.Doc, root: string): RecordsMap {
	return doc.getMap<RecordMap>(root);
}

function control(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap<unknown>(ROOT.control);
}

// ---------------------------------------------------------------------------------------------
// Field helpers

function str(map: RecordMap, key: string): string | undefined {
	const value = map.get(key);
	return typeof value === 'string' ? value : undefined;
}

function num(map: RecordMap, key: string): number | undefined {
	const value = map.get(key);
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function bool(map: RecordMap, key: string): boolean | undefined {
	const value = map.get(key);
	return typeof value === 'boolean' ? value : undefined;
}

function splitList(value: string | undefined): string[] {
	if (!value) return [];
	return value
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
}

function joinList(values: readonly string[]): string {
	return values
		.map((v) => v.replaceAll(',', ' ').trim())
		.filter(Boolean)
		.join(', ');
}

function isRecordMap(value: unknown): value is RecordMap {
	return value instanceof Y.Map;
}

// ---------------------------------------------------------------------------------------------
// Readers

/** The card stored in `map`, or `null` when the record is malformed. */
export function readCardRecord(map: RecordMap): Card | null {
	const id = str(map, CARD.id);
	const kind = map.get(CARD.kind);
	const step = map.get(CARD.step);
	if (!id || !isCardKind(kind) || !isStepId(step)) return null;
	const perspective = map.get(CARD.perspective);
	const card: Card = {
		id,
		step,
		kind,
		text: str(map, CARD.text) ?? '',
		authorId: str(map, CARD.authorId) ?? '',
		authorName: str(map, CARD.authorName) ?? '',
		perspective: isPerspective(perspective) ? perspective : null,
		createdAt: num(map, CARD.createdAt) ?? 0,
		order: str(map, CARD.order) ?? '',
		coAuthors: splitList(str(map, CARD.coAuthors)),
		mergedInto: str(map, CARD.mergedInto) || null
	};
	const horizonYears = num(map, CARD.horizonYears);
	if (horizonYears !== undefined) card.horizonYears = horizonYears;
	const outcomeKind = map.get(CARD.outcomeKind);
	if (isOutcomeKind(outcomeKind)) card.outcomeKind = outcomeKind;
	const owners = str(map, CARD.owners);
	if (owners !== undefined) card.owners = splitList(owners);
	const isNew = bool(map, CARD.isNew);
	if (isNew !== undefined) card.isNew = isNew;
	const measureKind = map.get(CARD.measureKind);
	if (isMeasureKind(measureKind)) card.measureKind = measureKind;
	for (const key of [
		CARD.quality,
		CARD.instrument,
		CARD.baseline,
		CARD.target,
		CARD.moments,
		CARD.owner
	] as const) {
		const value = str(map, key);
		if (value !== undefined) card[key] = value;
	}
	return card;
}

function readCardsIn(map: RecordsMap): Card[] {
	const cards: Card[] = [];
	for (const record of map.values()) {
		if (!isRecordMap(record)) continue;
		const card = readCardRecord(record);
		if (card) cards.push(card);
	}
	return cards.sort(compareCards);
}

/** All cards of the board (merged-away ones included, with `mergedInto` set), in board order. */
export function readCards(doc: Y.Doc): Card[] {
	return readCardsIn(records(doc, ROOT.cards));
}

/** One card, or `null`. */
export function readCard(doc: Y.Doc, id: CardId): Card | null {
	const record = records(doc, ROOT.cards).get(id);
	return isRecordMap(record) ? readCardRecord(record) : null;
}

function readLinkRecord(map: RecordMap): Link | null {
	const id = str(map, LINK.id);
	const from = str(map, LINK.from);
	const to = str(map, LINK.to);
	if (!id || !from || !to) return null;
	return { id, from, to, authorId: str(map, LINK.authorId) ?? '' };
}

/** All links, dangling ones included (see `liveLinks` in domain/links.ts). */
export function readLinks(doc: Y.Doc): Link[] {
	const links: Link[] = [];
	for (const record of records(doc, ROOT.links).values()) {
		if (!isRecordMap(record)) continue;
		const link = readLinkRecord(record);
		if (link) links.push(link);
	}
	return links.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function readCommentRecord(map: RecordMap): Comment | null {
	const id = str(map, COMMENT.id);
	const cardId = str(map, COMMENT.cardId);
	if (!id || !cardId) return null;
	return {
		id,
		cardId,
		text: str(map, COMMENT.text) ?? '',
		authorId: str(map, COMMENT.authorId) ?? '',
		authorName: str(map, COMMENT.authorName) ?? '',
		createdAt: num(map, COMMENT.createdAt) ?? 0
	};
}

/** Comments, oldest first; only those on `cardId` when given. */
export function readComments(doc: Y.Doc, cardId?: CardId): Comment[] {
	const comments: Comment[] = [];
	for (const record of records(doc, ROOT.comments).values()) {
		if (!isRecordMap(record)) continue;
		const comment = readCommentRecord(record);
		if (comment && (cardId === undefined || comment.cardId === cardId)) comments.push(comment);
	}
	return comments.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}

export function readMeta(doc: Y.Doc): BoardMeta {
	const meta = doc.getMap<FieldValue>(ROOT.meta);
	const version = meta.get(META.schemaVersion);
	const boardId = meta.get(META.boardId);
	const themeName = meta.get(META.themeName);
	return {
		schemaVersion: typeof version === 'number' ? version : 0,
		boardId: typeof boardId === 'string' ? boardId : '',
		themeName: typeof themeName === 'string' ? themeName : ''
	};
}

function flagSteps(value: unknown): StepId[] {
	if (!(value instanceof Y.Map)) return [];
	return STEP_IDS.filter((step) => value.get(step) === true);
}

function readRoundRecord(map: RecordMap): VotingRound | null {
	const id = str(map, ROUND.id);
	const status = map.get(ROUND.status);
	const votesPerPerson = num(map, ROUND.votesPerPerson);
	if (!id || !isRoundStatus(status) || votesPerPerson === undefined) return null;
	return { id, status, votesPerPerson, createdAt: num(map, ROUND.createdAt) ?? 0 };
}

function readResultsMap(value: unknown): RoundResults {
	const results: Record<CardId, Partial<Record<Perspective, number>>> = {};
	if (!(value instanceof Y.Map)) return results;
	for (const [cardId, row] of value.entries()) {
		if (!(row instanceof Y.Map)) continue;
		const counts: Partial<Record<Perspective, number>> = {};
		for (const p of PERSPECTIVES) {
			const n = row.get(p);
			if (typeof n === 'number' && n > 0) counts[p] = n;
		}
		results[cardId] = counts;
	}
	return results;
}

/** The facilitator's control state; defaults where the document has nothing yet. */
export function readControl(doc: Y.Doc): BoardControl {
	const map = control(doc);
	const currentStep = map.get(CONTROL.currentStep);
	const timerEndsAt = map.get(CONTROL.timerEndsAt);
	const timerPausedLeft = map.get(CONTROL.timerPausedLeft);
	const spotlight = map.get(CONTROL.spotlight);
	const follow = map.get(CONTROL.follow);
	const joiningOpen = map.get(CONTROL.joiningOpen);
	const agreed = map.get(CONTROL.agreed);
	const order = map.get(CONTROL.priorityOrder);
	const roundsMap = map.get(CONTROL.rounds);
	const resultsMap = map.get(CONTROL.results);
	const rounds: VotingRound[] = [];
	if (roundsMap instanceof Y.Map)
		for (const record of roundsMap.values()) {
			if (!isRecordMap(record)) continue;
			const round = readRoundRecord(record);
			if (round) rounds.push(round);
		}
	rounds.sort((a, b) => a.createdAt - b.createdAt);
	const results: Record<RoundId, RoundResults> = {};
	if (resultsMap instanceof Y.Map)
		for (const [roundId, value] of resultsMap.entries()) results[roundId] = readResultsMap(value);
	return {
		currentStep: isStepId(currentStep) ? currentStep : DEFAULT_CONTROL.currentStep,
		follow: typeof follow === 'boolean' ? follow : DEFAULT_CONTROL.follow,
		timerEndsAt: typeof timerEndsAt === 'number' ? timerEndsAt : null,
		timerPausedLeft: typeof timerPausedLeft === 'number' ? timerPausedLeft : null,
		lockedSteps: flagSteps(map.get(CONTROL.lockedSteps)),
		privateSteps: flagSteps(map.get(CONTROL.privateSteps)),
		spotlight: typeof spotlight === 'string' && spotlight ? spotlight : null,
		joiningOpen: typeof joiningOpen === 'boolean' ? joiningOpen : DEFAULT_CONTROL.joiningOpen,
		ended: map.get(CONTROL.ended) === true,
		agreed:
			agreed instanceof Y.Map
				? [...agreed.entries()].filter(([, v]) => v === true).map(([k]) => k)
				: [],
		priorityOrder:
			order instanceof Y.Array
				? [...new Set(order.toArray().filter((v): v is string => typeof v === 'string'))]
				: [],
		rounds,
		results
	};
}

/**
 * The whole board as plain data: every card (merged ones too), links and comments whose cards
 * exist, meta and control.
 */
export function readBoardSnapshot(doc: Y.Doc): BoardSnapshot {
	return assembleSnapshot({
		meta: readMeta(doc),
		cards: readCards(doc),
		links: readLinks(doc),
		comments: readComments(doc),
		control: readControl(doc)
	});
}

/**
 * The `authorId` of a record in `root` (`cards`, `links`, `comments`, or the private `drafts`),
 * or `null` when there is no such record. The server's ownership check.
 */
export function recordOwner(
	doc: Y.Doc,
	root: AuthoredRoot | typeof PRIVATE_ROOT.drafts,
	recordId: string
): AuthorId | null {
	const record = records(doc, root).get(recordId);
	if (!isRecordMap(record)) return null;
	const author = record.get(CARD.authorId);
	return typeof author === 'string' ? author : null;
}

/** The step a card lives in (shared or draft), or `null` (server: locked-step check). */
export function recordStep(
	doc: Y.Doc,
	root: typeof ROOT.cards | typeof PRIVATE_ROOT.drafts,
	cardId: CardId
): StepId | null {
	const record = records(doc, root).get(cardId);
	if (!isRecordMap(record)) return null;
	const step = record.get(CARD.step);
	return isStepId(step) ? step : null;
}

/** One record touched by a transaction (see {@link touchedRecords}). */
export interface TouchedRecord {
	/** Root type name, e.g. `cards` or `control`; may be a name not in {@link ROOT} (refuse it). */
	root: string;
	/** Key in the root map (record id for cards/links/comments, field for meta/control), or `null`. */
	recordId: string | null;
	/**
	 * Fields changed inside an existing record, or `null` when the record itself was added,
	 * replaced or deleted.
	 */
	fields: string[] | null;
}

/** The path of a Yjs type from its root: `[rootName, key, key...]`. */
function pathOf(doc: Y.Doc, type: { _item: Y.Item | null }): string[] {
	const path: string[] = [];
	let current: { _item: Y.Item | null } = type;
	while (current._item !== null) {
		const item = current._item;
		path.unshift(item.parentSub ?? '#');
		const parent = item.parent;
		if (!(parent instanceof Y.AbstractType)) break;
		current = parent;
	}
	for (const [name, shared] of doc.share) {
		if (shared === current) {
			path.unshift(name);
			return path;
		}
	}
	path.unshift('?');
	return path;
}

/**
 * Which records a transaction changed, for the server's write check. Use it in
 * `doc.on('afterTransaction', tr => touchedRecords(tr))` on a scratch copy of the document.
 * New nested maps show up as their parent key with `fields: null`.
 */
export function touchedRecords(transaction: Y.Transaction): TouchedRecord[] {
	const out = new Map<string, TouchedRecord>();
	for (const [type, keys] of transaction.changed) {
		const path = pathOf(transaction.doc, type);
		const [root, ...rest] = path;
		if (rest.length === 0) {
			for (const key of keys) {
				const id = key ?? '#';
				out.set(`${root}\u0000${id}`, { root, recordId: key, fields: null });
			}
			continue;
		}
		const recordId = rest[0];
		const mapKey = `${root}\u0000${recordId}`;
		const existing = out.get(mapKey);
		if (existing && existing.fields === null) continue;
		const fields = rest.length === 1 ? [...keys].map((k) => k ?? '#') : [rest[1]];
		const merged = existing?.fields ? [...new Set([...existing.fields, ...fields])] : fields;
		out.set(mapKey, { root, recordId, fields: merged });
	}
	return [...out.values()];
}

// ---------------------------------------------------------------------------------------------
// Card writers (shared cards and private drafts share the code)

/** A new card as the writer receives it. */
export type NewCard = CardInput & {
	author: Author;
	/** Defaults to the kind's step. */
	step?: StepId;
	id?: CardId;
	createdAt?: number;
	/** Defaults to after the last card of the step. */
	order?: string;
};

/** A change to a card: `null` removes an optional field. */
export type CardChange = { [K in keyof CardPatch]?: CardPatch[K] | null };

function lastOrder(map: RecordsMap, step: StepId): string | null {
	let last: string | null = null;
	for (const record of map.values()) {
		if (!isRecordMap(record) || record.get(CARD.step) !== step) continue;
		const order = str(record, CARD.order);
		if (order && (last === null || order > last)) last = order;
	}
	return last;
}

function safeKeyAfter(after: string | null): string {
	try {
		return generateKeyBetween(after, null);
	} catch {
		return generateKeyBetween(null, null);
	}
}

function writeDetails(record: RecordMap, change: CardChange): void {
	for (const [key, value] of Object.entries(change) as [keyof CardChange, unknown][]) {
		if (value === undefined) continue;
		if (value === null) {
			if (key !== 'text') record.delete(key);
			continue;
		}
		if (key === 'owners') record.set(CARD.owners, joinList(cleanOwners(value as string[])));
		else record.set(key, typeof value === 'string' ? value.trim() : (value as FieldValue));
	}
}

function insertCard(map: RecordsMap, input: NewCard): CardId {
	const step = input.step ?? stepOfKind(input.kind);
	const { author, id: givenId, createdAt, order, step: _step, ...rest } = input;
	void _step;
	const issues = validateCardInput(rest, step);
	if (issues.length) throw new BoardWriteError('invalid card', issues);
	const id = givenId ?? newId();
	const record: RecordMap = new Y.Map();
	record.set(CARD.id, id);
	record.set(CARD.step, step);
	record.set(CARD.kind, rest.kind);
	record.set(CARD.text, rest.text.trim());
	record.set(CARD.authorId, author.id);
	record.set(CARD.authorName, author.name);
	record.set(CARD.perspective, author.perspective);
	record.set(CARD.createdAt, createdAt ?? Date.now());
	record.set(CARD.order, order ?? safeKeyAfter(lastOrder(map, step)));
	const { kind: _kind, text: _text, ...details } = rest;
	void _kind;
	void _text;
	// Integrate first, then fill: prelim maps accept sets too, but this keeps one code path.
	map.set(id, record);
	writeDetails(record, details);
	return id;
}

function changeCard(map: RecordsMap, id: CardId, change: CardChange): void {
	const record = map.get(id);
	if (!isRecordMap(record)) throw new BoardWriteError(`no card ${id}`);
	const kind = record.get(CARD.kind);
	if (!isCardKind(kind)) throw new BoardWriteError(`card ${id} is malformed`);
	const patch = Object.fromEntries(
		Object.entries(change).filter(([, v]) => v !== null && v !== undefined)
	) as CardPatch;
	const issues = validateCardPatch(kind, patch);
	if (issues.length) throw new BoardWriteError('invalid card change', issues);
	const text = change.text;
	if (typeof text === 'string') record.set(CARD.text, text.trim());
	const { text: _text, ...details } = change;
	void _text;
	writeDetails(record, details);
}

/** Adds a card to the shared board. Returns its id. Throws {@link BoardWriteError} on bad input. */
export function addCard(doc: Y.Doc, input: NewCard, origin: unknown = null): CardId {
	let id = '';
	doc.transact(() => {
		id = insertCard(records(doc, ROOT.cards), input);
	}, origin);
	return id;
}

/** Changes fields of a card; only the given fields are written. */
export function updateCard(
	doc: Y.Doc,
	id: CardId,
	change: CardChange,
	origin: unknown = null
): void {
	doc.transact(() => changeCard(records(doc, ROOT.cards), id, change), origin);
}

/**
 * Deletes a card. Links and comments of others that point at it stay (they are hidden as dangling):
 * a participant may not delete other people's records.
 */
export function deleteCard(doc: Y.Doc, id: CardId, origin: unknown = null): void {
	doc.transact(() => records(doc, ROOT.cards).delete(id), origin);
}

/**
 * Moves a card between two neighbours of its step (ids, or `null` for the start/end).
 */
export function moveCard(
	doc: Y.Doc,
	id: CardId,
	between: { after: CardId | null; before: CardId | null },
	origin: unknown = null
): void {
	const map = records(doc, ROOT.cards);
	const orderOf = (cardId: CardId | null): string | null => {
		if (cardId === null) return null;
		const record = map.get(cardId);
		return isRecordMap(record) ? (str(record, CARD.order) ?? null) : null;
	};
	const a = orderOf(between.after);
	const b = orderOf(between.before);
	let key: string;
	if (a !== null && b !== null && a >= b) key = safeKeyAfter(a);
	else {
		try {
			key = generateKeyBetween(a, b);
		} catch {
			// a neighbour holds a malformed key (written by another client): place after `a`
			key = safeKeyAfter(a);
		}
	}
	doc.transact(() => {
		const record = map.get(id);
		if (!isRecordMap(record)) throw new BoardWriteError(`no card ${id}`);
		record.set(CARD.order, key);
	}, origin);
}

/**
 * Merges `sourceIds` into `targetId` (facilitator): sources get `mergedInto`, the target lists the
 * sources' authors as co-authors, and the sources' links and comments move to the target.
 */
export function mergeCards(
	doc: Y.Doc,
	targetId: CardId,
	sourceIds: readonly CardId[],
	origin: unknown = null
): void {
	const cards = records(doc, ROOT.cards);
	const target = cards.get(targetId);
	if (!isRecordMap(target)) throw new BoardWriteError(`no card ${targetId}`);
	doc.transact(() => {
		const targetAuthor = str(target, CARD.authorName) ?? '';
		const coAuthors = splitList(str(target, CARD.coAuthors));
		const moved = new Set(sourceIds.filter((id) => id !== targetId));
		for (const sourceId of moved) {
			const source = cards.get(sourceId);
			if (!isRecordMap(source)) continue;
			for (const name of [
				str(source, CARD.authorName) ?? '',
				...splitList(str(source, CARD.coAuthors))
			])
				if (name && name !== targetAuthor && !coAuthors.includes(name)) coAuthors.push(name);
			source.set(CARD.mergedInto, targetId);
		}
		if (coAuthors.length) target.set(CARD.coAuthors, joinList(coAuthors));
		const links = records(doc, ROOT.links);
		const existing = new Set(
			[...links.values()].filter(isRecordMap).map((l) => `${str(l, LINK.from)}>${str(l, LINK.to)}`)
		);
		for (const [linkId, link] of [...links.entries()]) {
			if (!isRecordMap(link)) continue;
			let from = str(link, LINK.from) ?? '';
			let to = str(link, LINK.to) ?? '';
			if (!moved.has(from) && !moved.has(to)) continue;
			if (moved.has(from)) from = targetId;
			if (moved.has(to)) to = targetId;
			links.delete(linkId);
			if (from === to || existing.has(`${from}>${to}`)) continue;
			existing.add(`${from}>${to}`);
			links.set(linkId, linkRecord(linkId, from, to, str(link, LINK.authorId) ?? ''));
		}
		for (const comment of records(doc, ROOT.comments).values())
			if (isRecordMap(comment) && moved.has(str(comment, COMMENT.cardId) ?? ''))
				comment.set(COMMENT.cardId, targetId);
	}, origin);
}

/** Undoes a merge of one card (facilitator): it shows again; moved links stay with the target. */
export function unmergeCard(doc: Y.Doc, id: CardId, origin: unknown = null): void {
	doc.transact(() => {
		const record = records(doc, ROOT.cards).get(id);
		if (isRecordMap(record)) record.delete(CARD.mergedInto);
	}, origin);
}

// ---------------------------------------------------------------------------------------------
// Links and comments

function linkRecord(id: string, from: CardId, to: CardId, authorId: AuthorId): RecordMap {
	const record: RecordMap = new Y.Map();
	record.set(LINK.id, id);
	record.set(LINK.from, from);
	record.set(LINK.to, to);
	record.set(LINK.authorId, authorId);
	return record;
}

/**
 * Links two cards (activity → outcome, indicator → outcome | activity). Returns the link id.
 * Throws {@link BoardWriteError} with `linkProblem` when the domain rules refuse it.
 */
export function addLink(
	doc: Y.Doc,
	input: { from: CardId; to: CardId; authorId: AuthorId; id?: string },
	origin: unknown = null
): string {
	const problem = linkProblem(readCards(doc), readLinks(doc), input.from, input.to);
	if (problem) throw new BoardWriteError(`cannot link: ${problem}`, [], problem);
	const id = input.id ?? newId();
	doc.transact(() => {
		records(doc, ROOT.links).set(id, linkRecord(id, input.from, input.to, input.authorId));
	}, origin);
	return id;
}

export function removeLink(doc: Y.Doc, id: string, origin: unknown = null): void {
	doc.transact(() => records(doc, ROOT.links).delete(id), origin);
}

/** Adds a comment on a card. Returns its id. */
export function addComment(
	doc: Y.Doc,
	input: { cardId: CardId; text: string; author: Author; id?: string; createdAt?: number },
	origin: unknown = null
): string {
	const issues = validateComment(input.text);
	if (issues.length) throw new BoardWriteError('invalid comment', issues);
	if (!records(doc, ROOT.cards).has(input.cardId))
		throw new BoardWriteError(`no card ${input.cardId}`);
	const id = input.id ?? newId();
	doc.transact(() => {
		const record: RecordMap = new Y.Map();
		records(doc, ROOT.comments).set(id, record);
		record.set(COMMENT.id, id);
		record.set(COMMENT.cardId, input.cardId);
		record.set(COMMENT.text, input.text.trim());
		record.set(COMMENT.authorId, input.author.id);
		record.set(COMMENT.authorName, input.author.name);
		record.set(COMMENT.createdAt, input.createdAt ?? Date.now());
	}, origin);
	return id;
}

export function deleteComment(doc: Y.Doc, id: string, origin: unknown = null): void {
	doc.transact(() => records(doc, ROOT.comments).delete(id), origin);
}

// ---------------------------------------------------------------------------------------------
// Control writers (facilitators and the server only)

function subMap(doc: Y.Doc, key: string): Y.Map<unknown> {
	const map = control(doc);
	const existing = map.get(key);
	if (existing instanceof Y.Map) return existing;
	const created = new Y.Map<unknown>();
	map.set(key, created);
	return created;
}

function setControl(doc: Y.Doc, key: string, value: FieldValue, origin: unknown): void {
	doc.transact(() => {
		const map = control(doc);
		if (map.get(key) !== value) map.set(key, value);
	}, origin);
}

export function setCurrentStep(doc: Y.Doc, step: StepId, origin: unknown = null): void {
	if (!isStepId(step)) throw new BoardWriteError(`unknown step ${String(step)}`);
	setControl(doc, CONTROL.currentStep, step, origin);
}

export function setFollow(doc: Y.Doc, follow: boolean, origin: unknown = null): void {
	setControl(doc, CONTROL.follow, follow, origin);
}

/** Starts (or restarts) the countdown: it ends `durationMs` after `now`. */
export function startTimer(
	doc: Y.Doc,
	durationMs: number,
	now: number,
	origin: unknown = null
): void {
	if (!(durationMs > 0)) throw new BoardWriteError('timer duration must be positive');
	doc.transact(() => {
		control(doc).set(CONTROL.timerEndsAt, now + durationMs);
		control(doc).set(CONTROL.timerPausedLeft, null);
	}, origin);
}

/** Pauses a running countdown, keeping the time left. */
export function pauseTimer(doc: Y.Doc, now: number, origin: unknown = null): void {
	const endsAt = control(doc).get(CONTROL.timerEndsAt);
	if (typeof endsAt !== 'number') return;
	doc.transact(() => {
		control(doc).set(CONTROL.timerPausedLeft, Math.max(0, endsAt - now));
		control(doc).set(CONTROL.timerEndsAt, null);
	}, origin);
}

/** Resumes a paused countdown. */
export function resumeTimer(doc: Y.Doc, now: number, origin: unknown = null): void {
	const left = control(doc).get(CONTROL.timerPausedLeft);
	if (typeof left !== 'number') return;
	startTimer(doc, Math.max(1, left), now, origin);
}

export function stopTimer(doc: Y.Doc, origin: unknown = null): void {
	doc.transact(() => {
		control(doc).set(CONTROL.timerEndsAt, null);
		control(doc).set(CONTROL.timerPausedLeft, null);
	}, origin);
}

function setFlag(doc: Y.Doc, key: string, flag: string, on: boolean, origin: unknown): void {
	doc.transact(() => {
		const map = subMap(doc, key);
		if (on) map.set(flag, true);
		else map.delete(flag);
	}, origin);
}

/** Locks (or unlocks) a step: participants cannot write in it. */
export function lockStep(doc: Y.Doc, step: StepId, locked = true, origin: unknown = null): void {
	setFlag(doc, CONTROL.lockedSteps, step, locked, origin);
}

/** Turns private brainstorm for a step on or off (turning off does not reveal: the server does). */
export function setPrivate(doc: Y.Doc, step: StepId, on = true, origin: unknown = null): void {
	setFlag(doc, CONTROL.privateSteps, step, on, origin);
}

/** Highlights a card on every screen, or clears the highlight with `null`. */
export function spotlight(doc: Y.Doc, cardId: CardId | null, origin: unknown = null): void {
	setControl(doc, CONTROL.spotlight, cardId, origin);
}

export function markAgreed(
	doc: Y.Doc,
	cardId: CardId,
	agreed = true,
	origin: unknown = null
): void {
	setFlag(doc, CONTROL.agreed, cardId, agreed, origin);
}

/** Replaces the fixed priority order of outcomes. */
export function setPriorityOrder(
	doc: Y.Doc,
	cardIds: readonly CardId[],
	origin: unknown = null
): void {
	doc.transact(() => {
		const map = control(doc);
		let array = map.get(CONTROL.priorityOrder);
		if (!(array instanceof Y.Array)) {
			array = new Y.Array<string>();
			map.set(CONTROL.priorityOrder, array);
		}
		const list = array as Y.Array<string>;
		if (list.length) list.delete(0, list.length);
		list.insert(0, [...new Set(cardIds)]);
	}, origin);
}

export function setJoiningOpen(doc: Y.Doc, open: boolean, origin: unknown = null): void {
	setControl(doc, CONTROL.joiningOpen, open, origin);
}

/** Ends the session: the board becomes read-only history. */
export function endSession(doc: Y.Doc, origin: unknown = null): void {
	doc.transact(() => {
		const map = control(doc);
		map.set(CONTROL.ended, true);
		map.set(CONTROL.joiningOpen, false);
		map.set(CONTROL.timerEndsAt, null);
		map.set(CONTROL.timerPausedLeft, null);
	}, origin);
}

/** Opens a voting round. Returns its id. */
export function openRound(
	doc: Y.Doc,
	input: { votesPerPerson: number; now: number; id?: RoundId },
	origin: unknown = null
): RoundId {
	if (!isValidVotesPerPerson(input.votesPerPerson))
		throw new BoardWriteError('invalid votes per person', [
			{ field: 'votesPerPerson', code: 'out_of_range' }
		]);
	const id = input.id ?? newId();
	doc.transact(() => {
		const rounds = subMap(doc, CONTROL.rounds);
		// Only one round is open at a time: close the others.
		for (const record of rounds.values())
			if (isRecordMap(record) && record.get(ROUND.status) === 'open')
				record.set(ROUND.status, 'closed');
		const record: RecordMap = new Y.Map();
		rounds.set(id, record);
		record.set(ROUND.id, id);
		record.set(ROUND.status, 'open');
		record.set(ROUND.votesPerPerson, input.votesPerPerson);
		record.set(ROUND.createdAt, input.now);
	}, origin);
	return id;
}

function setRoundStatus(doc: Y.Doc, roundId: RoundId, status: RoundStatus, origin: unknown): void {
	doc.transact(() => {
		const record = subMap(doc, CONTROL.rounds).get(roundId);
		if (!isRecordMap(record)) throw new BoardWriteError(`no round ${roundId}`);
		record.set(ROUND.status, status);
	}, origin);
}

/** Closes a round: no more votes; results still hidden. */
export function closeRound(doc: Y.Doc, roundId: RoundId, origin: unknown = null): void {
	setRoundStatus(doc, roundId, 'closed', origin);
}

/**
 * Reveals a round. The server tallies the ballots and passes `results` (or writes them with
 * {@link writeRoundResults}); a facilitator's client only flips the status.
 */
export function revealRound(
	doc: Y.Doc,
	roundId: RoundId,
	results?: RoundResults,
	origin: unknown = null
): void {
	doc.transact(() => {
		setRoundStatus(doc, roundId, 'revealed', origin);
		if (results) writeRoundResults(doc, roundId, results, origin);
	}, origin);
}

/** Stores the tally of a round (server, on reveal): card → perspective → votes. */
export function writeRoundResults(
	doc: Y.Doc,
	roundId: RoundId,
	results: RoundResults,
	origin: unknown = SERVER_ORIGIN
): void {
	doc.transact(() => {
		const all = subMap(doc, CONTROL.results);
		const map = new Y.Map<Y.Map<number>>();
		all.set(roundId, map);
		for (const [cardId, row] of Object.entries(results)) {
			const counts = new Y.Map<number>();
			map.set(cardId, counts);
			for (const [p, n] of Object.entries(row))
				if (typeof n === 'number' && n > 0) counts.set(p, n);
		}
	}, origin);
}

// ---------------------------------------------------------------------------------------------
// Private doc: drafts and ballots

/** A participant's draft cards (written while their step was private), in board order. */
export function readDrafts(privateDoc: Y.Doc, step?: StepId): Card[] {
	const drafts = readCardsIn(records(privateDoc, PRIVATE_ROOT.drafts));
	return step === undefined ? drafts : drafts.filter((c) => c.step === step);
}

/** Adds a draft card to a private doc. Returns its id. */
export function addDraft(privateDoc: Y.Doc, input: NewCard, origin: unknown = null): CardId {
	let id = '';
	privateDoc.transact(() => {
		id = insertCard(records(privateDoc, PRIVATE_ROOT.drafts), input);
	}, origin);
	return id;
}

export function updateDraft(
	privateDoc: Y.Doc,
	id: CardId,
	change: CardChange,
	origin: unknown = null
): void {
	privateDoc.transact(
		() => changeCard(records(privateDoc, PRIVATE_ROOT.drafts), id, change),
		origin
	);
}

export function deleteDraft(privateDoc: Y.Doc, id: CardId, origin: unknown = null): void {
	privateDoc.transact(() => records(privateDoc, PRIVATE_ROOT.drafts).delete(id), origin);
}

/**
 * Reveal (server): moves the drafts of `step` from one private doc into the shared doc, keeping
 * ids, authors and order. Returns the ids moved. Two transactions, shared first, so a crash in
 * between leaves a copy rather than losing the card (the copy is idempotent: same id).
 */
export function revealDrafts(
	sharedDoc: Y.Doc,
	privateDoc: Y.Doc,
	step: StepId,
	origin: unknown = SERVER_ORIGIN
): CardId[] {
	const drafts = readDrafts(privateDoc, step);
	if (!drafts.length) return [];
	const cards = records(sharedDoc, ROOT.cards);
	sharedDoc.transact(() => {
		let after = lastOrder(cards, step);
		for (const draft of drafts) {
			if (cards.has(draft.id)) continue;
			const order = safeKeyAfter(after);
			after = order;
			const { id, step: draftStep, authorId, authorName, perspective, createdAt } = draft;
			const record: RecordMap = new Y.Map();
			cards.set(id, record);
			record.set(CARD.id, id);
			record.set(CARD.step, draftStep);
			record.set(CARD.kind, draft.kind);
			record.set(CARD.text, draft.text);
			record.set(CARD.authorId, authorId);
			record.set(CARD.authorName, authorName);
			record.set(CARD.perspective, perspective);
			record.set(CARD.createdAt, createdAt);
			record.set(CARD.order, order);
			writeDetails(record, detailsOf(draft));
		}
	}, origin);
	privateDoc.transact(() => {
		const map = records(privateDoc, PRIVATE_ROOT.drafts);
		for (const draft of drafts) map.delete(draft.id);
	}, origin);
	return drafts.map((d) => d.id);
}

function detailsOf(card: Card): CardDetails {
	const details: CardDetails = {};
	for (const key of [
		'horizonYears',
		'outcomeKind',
		'owners',
		'isNew',
		'quality',
		'measureKind',
		'instrument',
		'baseline',
		'target',
		'moments',
		'owner'
	] as const)
		if (card[key] !== undefined) Object.assign(details, { [key]: card[key] });
	return details;
}

/** One participant's ballot in one round (empty when none). */
export function readBallot(privateDoc: Y.Doc, roundId: RoundId): Ballot {
	const map = privateDoc.getMap<unknown>(PRIVATE_ROOT.ballots).get(roundId);
	const ballot: Record<CardId, number> = {};
	if (!(map instanceof Y.Map)) return ballot;
	for (const [cardId, n] of map.entries())
		if (typeof n === 'number' && Number.isInteger(n) && n > 0) ballot[cardId] = n;
	return ballot;
}

/** All ballots of one participant: round → ballot. */
export function readBallots(privateDoc: Y.Doc): Record<RoundId, Ballot> {
	const out: Record<RoundId, Ballot> = {};
	for (const roundId of privateDoc.getMap<unknown>(PRIVATE_ROOT.ballots).keys())
		out[roundId] = readBallot(privateDoc, roundId);
	return out;
}

/** Sets the votes on one card in one round (0 removes them). The budget is checked by the caller. */
export function setVotes(
	privateDoc: Y.Doc,
	roundId: RoundId,
	cardId: CardId,
	votes: number,
	origin: unknown = null
): void {
	if (!Number.isInteger(votes) || votes < 0) throw new BoardWriteError('votes must be >= 0');
	privateDoc.transact(() => {
		const ballots = privateDoc.getMap<unknown>(PRIVATE_ROOT.ballots);
		let map = ballots.get(roundId);
		if (!(map instanceof Y.Map)) {
			map = new Y.Map<number>();
			ballots.set(roundId, map);
		}
		const ballot = map as Y.Map<number>;
		if (votes === 0) ballot.delete(cardId);
		else ballot.set(cardId, votes);
	}, origin);
}
