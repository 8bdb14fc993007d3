/**
 * Cards: one nested Y.Map per card under `cards` (shared) or `drafts` (a participant's private
 * document). The fields, their limits and who may write them ({@link CARD_FIELDS}), the reader, and
 * the writers that shared cards and drafts have in common.
 */
import * as Y from 'yjs';
import { generateKeyBetween } from 'fractional-indexing';
import {
	CARD_KINDS,
	cleanOwners,
	compareCards,
	isCardKind,
	isMeasureKind,
	isOutcomeKind,
	KIND_FIELDS,
	LIMITS,
	MEASURE_KINDS,
	OUTCOME_KINDS,
	validateCardInput,
	validateCardPatch,
	type Card,
	type CardDetails,
	type CardInput,
	type CardPatch
} from '../../domain/cards.ts';
import { newId, type CardId } from '../../domain/ids.ts';
import { isPerspective, PERSPECTIVES } from '../../domain/roles.ts';
import { isStepId, stepOfKind, STEP_IDS, type StepId } from '../../domain/steps.ts';
import { idShape, TIME, type FieldSpec } from './fields.ts';
import {
	BoardWriteError,
	bool,
	CARD,
	isRecordMap,
	joinList,
	num,
	records,
	ROOT,
	splitList,
	str,
	type Author,
	type FieldValue,
	type RecordMap,
	type RecordsMap
} from './keys.ts';

const shortText = (max: number): FieldSpec => ({
	shape: { type: 'string', max },
	writer: 'participant'
});

/** Most co-authors a merge lists (names beyond it are dropped by `mergeCards`). */
export const MAX_CO_AUTHORS = 100;

/** Longest fractional-index key (they grow by about one character per insert in the same gap). */
export const MAX_ORDER = 256;

/** Every field of a card record: type, limits, writer. Nothing else may be stored on a card. */
export const CARD_FIELDS: Readonly<Record<keyof typeof CARD, FieldSpec>> = {
	id: { shape: idShape(), writer: 'participant' },
	step: { shape: { type: 'string', max: 32, values: STEP_IDS }, writer: 'participant' },
	kind: { shape: { type: 'string', max: 32, values: CARD_KINDS }, writer: 'participant' },
	text: shortText(LIMITS.cardText),
	authorId: { shape: idShape(), writer: 'participant', byline: 'authorId' },
	authorName: {
		shape: { type: 'string', max: LIMITS.name },
		writer: 'participant',
		byline: 'authorName'
	},
	perspective: {
		shape: { type: 'string', max: 32, values: PERSPECTIVES, nullable: true },
		writer: 'participant',
		byline: 'perspective'
	},
	createdAt: { shape: TIME, writer: 'participant' },
	order: shortText(MAX_ORDER),
	// Co-authors and merges come only from a facilitator's merge.
	coAuthors: {
		shape: { type: 'string', max: MAX_CO_AUTHORS * (LIMITS.name + 2) },
		writer: 'facilitator'
	},
	mergedInto: { shape: idShape(true), writer: 'facilitator' },
	horizonYears: {
		shape: {
			type: 'number',
			min: LIMITS.horizonYearsMin,
			max: LIMITS.horizonYearsMax,
			integer: true
		},
		writer: 'participant'
	},
	outcomeKind: { shape: { type: 'string', max: 32, values: OUTCOME_KINDS }, writer: 'participant' },
	owners: shortText(LIMITS.owners * (LIMITS.field + 2)),
	isNew: { shape: { type: 'boolean' }, writer: 'participant' },
	quality: shortText(LIMITS.field),
	measureKind: { shape: { type: 'string', max: 32, values: MEASURE_KINDS }, writer: 'participant' },
	instrument: shortText(LIMITS.field),
	baseline: shortText(LIMITS.field),
	target: shortText(LIMITS.field),
	moments: shortText(LIMITS.field),
	owner: shortText(LIMITS.field),
	// Stamped by the server (history.ts): when it first saw the card, when it last changed.
	addedAt: { shape: TIME, writer: 'server', stamp: true },
	changedAt: { shape: TIME, writer: 'server', stamp: true }
};

/** Fields only some kinds carry (`KIND_FIELDS` in domain/cards.ts). */
const DETAIL_FIELDS: ReadonlySet<string> = new Set(Object.values(KIND_FIELDS).flat());

/**
 * Why a card record of `kind` may not carry `field`, or null. Judged on the record an update leaves
 * behind (its kind after the update).
 */
export function cardFieldProblem(kind: unknown, field: string): string | null {
	if (!DETAIL_FIELDS.has(field)) return null;
	if (!isCardKind(kind)) return `is not a field of a card without a kind`;
	return (KIND_FIELDS[kind] as readonly string[]).includes(field)
		? null
		: `is not a field of a ${kind} card`;
}

// ---------------------------------------------------------------------------------------------
// Reading

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
	const addedAt = num(map, CARD.addedAt);
	if (addedAt !== undefined) card.addedAt = addedAt;
	const changedAt = num(map, CARD.changedAt);
	if (changedAt !== undefined) card.changedAt = changedAt;
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

/** The well-formed cards of a records map, in board order. */
export function readCardsIn(map: RecordsMap): Card[] {
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

// ---------------------------------------------------------------------------------------------
// Writing (shared cards and private drafts share the code)

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

/** The highest order key of the cards of `step` in `map`. */
export function lastOrder(map: RecordsMap, step: StepId): string | null {
	let last: string | null = null;
	for (const record of map.values()) {
		if (!isRecordMap(record) || record.get(CARD.step) !== step) continue;
		const order = str(record, CARD.order);
		if (order && (last === null || order > last)) last = order;
	}
	return last;
}

/** A key after `after` (or a first key when `after` is malformed, written by another client). */
export function safeKeyAfter(after: string | null): string {
	try {
		return generateKeyBetween(after, null);
	} catch {
		return generateKeyBetween(null, null);
	}
}

/** Writes the optional fields of `change` (`null` removes one). */
export function writeDetails(record: RecordMap, change: CardChange): void {
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

/** The optional fields of a card. */
export function detailsOf(card: Card): CardDetails {
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

/** Writes the byline of `author` on a record (the name cut to the schema's limit). */
export function writeByline(
	record: RecordMap,
	author: Pick<Card, 'authorId' | 'authorName' | 'perspective'>
): void {
	record.set(CARD.authorId, author.authorId);
	record.set(CARD.authorName, author.authorName.slice(0, LIMITS.name));
	record.set(CARD.perspective, author.perspective);
}

/** Inserts a new card record into `map` (inside the caller's transaction). Returns its id. */
export function insertCard(map: RecordsMap, input: NewCard): CardId {
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
	writeByline(record, {
		authorId: author.id,
		authorName: author.name,
		perspective: author.perspective
	});
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

/** Changes fields of the card `id` in `map` (inside the caller's transaction). */
export function changeCard(map: RecordsMap, id: CardId, change: CardChange): void {
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
