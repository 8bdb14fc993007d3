/**
 * Cards: what people write on the board, their kinds, limits and validation.
 * Pure: imports nothing outside `domain/`.
 */
import type { AuthorId, CardId, CommentId } from './ids.ts';
import { isPerspective, type Perspective } from './roles.ts';
import { isStepId, stepOfKind, type StepId } from './steps.ts';

export const CARD_KINDS = [
	'situation',
	'ambition',
	'outcome',
	'activity',
	'indicator',
	'well',
	'better',
	'action'
] as const;
export type CardKind = (typeof CARD_KINDS)[number];

/** NJI's three kinds of result; content comes first. */
export const OUTCOME_KINDS = ['inhoudelijk', 'proces', 'randvoorwaardelijk'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

/** Figures (tellen) or stories (vertellen). */
export const MEASURE_KINDS = ['tellen', 'vertellen'] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

export const LIMITS = {
	/** Characters in a card's main text. */
	cardText: 500,
	/** Characters in a short field (instrument, baseline, target, owner, quality, moments). */
	field: 200,
	/** Organisations owning one activity. */
	owners: 10,
	/** Characters in a comment. */
	commentText: 500,
	/** Characters in a display name. */
	name: 80,
	/** Horizon of a result, in years. */
	horizonYearsMin: 1,
	horizonYearsMax: 10,
	/** Cards on one board, all steps together (the server also caps the document size). */
	cardsPerBoard: 2000
} as const;

/** Fields every card has. */
export interface CardCore {
	id: CardId;
	step: StepId;
	kind: CardKind;
	text: string;
	authorId: AuthorId;
	authorName: string;
	perspective: Perspective | null;
	/** Milliseconds since the epoch. */
	createdAt: number;
	/** Fractional index: cards of a step sort by this string (plain `<` comparison). */
	order: string;
	/** Names of the authors of cards merged into this one. */
	coAuthors: string[];
	/** Set when this card was merged into another one; such cards are hidden. */
	mergedInto: CardId | null;
	/** When the server first saw the card on the board (ms; absent on older cards). history.ts */
	addedAt?: number;
	/** When the server last saw the card change (ms; absent on older cards). history.ts */
	changedAt?: number;
}

/** Optional fields; each is meaningful for the kinds named beside it. */
export interface CardDetails {
	/** outcome, indicator */
	horizonYears?: number;
	/** outcome */
	outcomeKind?: OutcomeKind;
	/** activity: organisations that carry it out */
	owners?: string[];
	/** activity: a new activity (true) or existing provision (false) */
	isNew?: boolean;
	/** activity: quality conditions (input kwaliteit: training, method, evidence) */
	quality?: string;
	/** indicator */
	measureKind?: MeasureKind;
	instrument?: string;
	baseline?: string;
	target?: string;
	/** indicator: measurement moments, free text ("nulmeting, jaarlijks") */
	moments?: string;
	/** indicator, action: who is responsible */
	owner?: string;
}

export type Card = CardCore & CardDetails;

/** What a person fills in for a new card; the rest is added by the writer. */
export type CardInput = Pick<Card, 'kind' | 'text'> & CardDetails;
/** What can change after creation. */
export type CardPatch = Partial<Pick<Card, 'text'>> & CardDetails;

export interface Comment {
	id: CommentId;
	cardId: CardId;
	text: string;
	authorId: AuthorId;
	authorName: string;
	createdAt: number;
}

/** A problem with user input; `field` names the input, `code` picks a message. */
export interface ValidationIssue {
	field: string;
	code: 'required' | 'too_long' | 'invalid' | 'out_of_range' | 'wrong_kind';
}

export function isCardKind(value: unknown): value is CardKind {
	return typeof value === 'string' && (CARD_KINDS as readonly string[]).includes(value);
}

export function isOutcomeKind(value: unknown): value is OutcomeKind {
	return typeof value === 'string' && (OUTCOME_KINDS as readonly string[]).includes(value);
}

export function isMeasureKind(value: unknown): value is MeasureKind {
	return typeof value === 'string' && (MEASURE_KINDS as readonly string[]).includes(value);
}

/** Which optional fields each kind may carry. */
export const KIND_FIELDS: Readonly<Record<CardKind, readonly (keyof CardDetails)[]>> = {
	situation: [],
	ambition: [],
	outcome: ['horizonYears', 'outcomeKind'],
	activity: ['owners', 'isNew', 'quality'],
	indicator: [
		'measureKind',
		'instrument',
		'baseline',
		'target',
		'horizonYears',
		'moments',
		'owner'
	],
	well: [],
	better: [],
	action: ['owner']
};

const STRING_FIELDS = ['quality', 'instrument', 'baseline', 'target', 'moments', 'owner'] as const;

/** Trims text fields and splits/cleans owners; leaves other values as they are. */
export function normalizeDetails<T extends CardDetails & { text?: string }>(input: T): T {
	const out = { ...input };
	if (typeof out.text === 'string') out.text = out.text.trim();
	for (const field of STRING_FIELDS) {
		const value = out[field];
		if (typeof value === 'string') out[field] = value.trim();
	}
	if (Array.isArray(out.owners)) out.owners = cleanOwners(out.owners);
	return out;
}

/** Trimmed, non-empty, de-duplicated organisation names. */
export function cleanOwners(owners: readonly string[]): string[] {
	const seen = new Set<string>();
	const result: string[] = [];
	for (const raw of owners) {
		const name = raw.trim();
		if (name && !seen.has(name.toLowerCase())) {
			seen.add(name.toLowerCase());
			result.push(name);
		}
	}
	return result;
}

/** Problems with the optional fields of a card of `kind` (empty when fine). */
export function validateDetails(kind: CardKind, details: CardDetails): ValidationIssue[] {
	const issues: ValidationIssue[] = [];
	const allowed = KIND_FIELDS[kind];
	for (const key of Object.keys(details) as (keyof CardDetails)[]) {
		if (details[key] === undefined) continue;
		if (!allowed.includes(key)) issues.push({ field: key, code: 'wrong_kind' });
	}
	const { horizonYears, outcomeKind, owners, isNew, measureKind } = details;
	if (horizonYears !== undefined) {
		if (!Number.isInteger(horizonYears)) issues.push({ field: 'horizonYears', code: 'invalid' });
		else if (horizonYears < LIMITS.horizonYearsMin || horizonYears > LIMITS.horizonYearsMax)
			issues.push({ field: 'horizonYears', code: 'out_of_range' });
	}
	if (outcomeKind !== undefined && !isOutcomeKind(outcomeKind))
		issues.push({ field: 'outcomeKind', code: 'invalid' });
	if (measureKind !== undefined && !isMeasureKind(measureKind))
		issues.push({ field: 'measureKind', code: 'invalid' });
	if (isNew !== undefined && typeof isNew !== 'boolean')
		issues.push({ field: 'isNew', code: 'invalid' });
	if (owners !== undefined) {
		if (!Array.isArray(owners) || owners.some((o) => typeof o !== 'string'))
			issues.push({ field: 'owners', code: 'invalid' });
		else if (owners.length > LIMITS.owners) issues.push({ field: 'owners', code: 'too_long' });
		else if (owners.some((o) => o.length > LIMITS.field || o.includes(',')))
			issues.push({ field: 'owners', code: 'invalid' });
	}
	for (const field of STRING_FIELDS) {
		const value = details[field];
		if (value === undefined) continue;
		if (typeof value !== 'string') issues.push({ field, code: 'invalid' });
		else if (value.length > LIMITS.field) issues.push({ field, code: 'too_long' });
	}
	return issues;
}

/** Problems with a card's main text (empty when fine). */
export function validateText(text: unknown, max: number = LIMITS.cardText): ValidationIssue[] {
	if (typeof text !== 'string') return [{ field: 'text', code: 'invalid' }];
	if (text.trim().length === 0) return [{ field: 'text', code: 'required' }];
	if (text.length > max) return [{ field: 'text', code: 'too_long' }];
	return [];
}

/** Problems with a new card; `step` (if given) must be the kind's step. */
export function validateCardInput(input: CardInput, step?: StepId): ValidationIssue[] {
	if (!isCardKind(input.kind)) return [{ field: 'kind', code: 'invalid' }];
	const issues = validateText(input.text);
	if (step !== undefined && stepOfKind(input.kind) !== step)
		issues.push({ field: 'kind', code: 'wrong_kind' });
	const { kind: _kind, text: _text, ...details } = input;
	void _kind;
	void _text;
	return issues.concat(validateDetails(input.kind, details));
}

/** Problems with a change to an existing card of `kind`. */
export function validateCardPatch(kind: CardKind, patch: CardPatch): ValidationIssue[] {
	const { text, ...details } = patch;
	const issues = text === undefined ? [] : validateText(text);
	return issues.concat(validateDetails(kind, details));
}

/**
 * Problems with a whole card record as read from a document (used by the server to refuse
 * malformed records before they are stored).
 */
export function validateCard(card: Card): ValidationIssue[] {
	const issues: ValidationIssue[] = [];
	if (!isCardKind(card.kind)) return [{ field: 'kind', code: 'invalid' }];
	if (!isStepId(card.step) || stepOfKind(card.kind) !== card.step)
		issues.push({ field: 'step', code: 'invalid' });
	issues.push(...validateText(card.text));
	if (typeof card.authorId !== 'string' || !card.authorId)
		issues.push({ field: 'authorId', code: 'required' });
	if (typeof card.authorName !== 'string' || card.authorName.length > LIMITS.name)
		issues.push({ field: 'authorName', code: 'invalid' });
	if (card.perspective !== null && !isPerspective(card.perspective))
		issues.push({ field: 'perspective', code: 'invalid' });
	if (!Number.isFinite(card.createdAt)) issues.push({ field: 'createdAt', code: 'invalid' });
	if (typeof card.order !== 'string' || !card.order)
		issues.push({ field: 'order', code: 'invalid' });
	const details: CardDetails = {};
	for (const key of KIND_FIELDS[card.kind]) {
		if (card[key] !== undefined) Object.assign(details, { [key]: card[key] });
	}
	return issues.concat(validateDetails(card.kind, details));
}

/** Problems with a comment's text. */
export function validateComment(text: unknown): ValidationIssue[] {
	return validateText(text, LIMITS.commentText);
}

/** Cards that are shown: not merged away. */
export function visibleCards<T extends Pick<Card, 'mergedInto'>>(cards: readonly T[]): T[] {
	return cards.filter((c) => !c.mergedInto);
}

/**
 * Drafts not yet on the board. A revealed draft reaches the board and leaves its author's private
 * document in two updates over two sockets; in between, the board's copy is the one to show.
 */
export function unrevealed<T extends Pick<Card, 'id'>>(
	drafts: readonly T[],
	shared: readonly Pick<Card, 'id'>[]
): T[] {
	if (drafts.length === 0) return [];
	const onBoard = new Set(shared.map((c) => c.id));
	return drafts.filter((d) => !onBoard.has(d.id));
}

/** Sorts by fractional order, then creation time, then id (stable on every device). */
export function compareCards(a: Card, b: Card): number {
	if (a.order !== b.order) return a.order < b.order ? -1 : 1;
	if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Visible cards of one step (optionally of one kind), in board order. */
export function cardsOf(cards: readonly Card[], step: StepId, kind?: CardKind): Card[] {
	return visibleCards(cards)
		.filter((c) => c.step === step && (kind === undefined || c.kind === kind))
		.sort(compareCards);
}

/** All authors of a card, the original first. */
export function authorsOf(card: Pick<Card, 'authorName' | 'coAuthors'>): string[] {
	return [card.authorName, ...card.coAuthors.filter((n) => n !== card.authorName)];
}
