/**
 * The names of the board documents: root types, field keys, and the small typed helpers every
 * record family uses to read and write a record map. The ONLY place (with the family modules that
 * declare their fields) that spells a Yjs name. server/realtime/README.md says how the server applies it.
 *
 * - Shared doc roots: `meta`, `cards`, `links`, `comments`, `control`, `glossary`, `readings`
 *   ({@link ROOT}).
 * - Private doc roots (one per participant): `drafts`, `ballots`, `consent` ({@link PRIVATE_ROOT}).
 * - One nested Y.Map per record (cards, links, comments, rounds), never a JSON blob, so concurrent
 *   edits to different fields of one record both survive.
 */
import * as Y from 'yjs';
import type { ValidationIssue } from '../../domain/cards.ts';
import type { AuthorId } from '../../domain/ids.ts';
import type { LinkProblem } from '../../domain/links.ts';
import type { Perspective } from '../../domain/roles.ts';

/** The origin the server uses for its own writes (reveal, results, migrations). */
export const SERVER_ORIGIN = 'server';

/** Top-level types of the shared board document. */
export const ROOT = {
	meta: 'meta',
	cards: 'cards',
	links: 'links',
	comments: 'comments',
	control: 'control',
	glossary: 'glossary',
	readings: 'readings'
} as const;
export type RootName = (typeof ROOT)[keyof typeof ROOT];

/** Top-level types of a participant's private document. */
export const PRIVATE_ROOT = {
	drafts: 'drafts',
	ballots: 'ballots',
	consent: 'consent',
	authored: 'authored'
} as const;
export type PrivateRootName = (typeof PRIVATE_ROOT)[keyof typeof PRIVATE_ROOT];

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
	owner: 'owner',
	addedAt: 'addedAt',
	changedAt: 'changedAt'
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
	results: 'results',
	anonymousSteps: 'anonymousSteps',
	sessionStarts: 'sessionStarts',
	agreedIn: 'agreedIn',
	agreedAt: 'agreedAt',
	/** Consent proposals (`consent.ts`). */
	consent: 'consent',
	/** Shown results of consent rounds, written by the server (`consent.ts`). */
	consentResults: 'consentResults'
} as const;

export const ROUND = {
	id: 'id',
	status: 'status',
	votesPerPerson: 'votesPerPerson',
	createdAt: 'createdAt',
	anonymous: 'anonymous',
	/** How many people voted (the server counts it when the round closes or is revealed). */
	voters: 'voters'
} as const;

/** Values stored in a record map. */
export type FieldValue = string | number | boolean | null;
export type RecordMap = Y.Map<FieldValue>;
export type RecordsMap = Y.Map<RecordMap>;

/** Who writes a record: stored on it as author fields (the byline). */
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

/** The keyed records under `root` (cards, links, comments, drafts). */
export function records(doc: Y.Doc, root: string): RecordsMap {
	return doc.getMap<RecordMap>(root);
}

/** The shared document's `control` map. */
export function control(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap<unknown>(ROOT.control);
}

/**
 * The root map `root` of `doc` without creating it, or null when absent or of another type (the
 * server reads documents a client may have shaped).
 */
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

export function str(map: RecordMap, key: string): string | undefined {
	const value = map.get(key);
	return typeof value === 'string' ? value : undefined;
}

export function num(map: RecordMap, key: string): number | undefined {
	const value = map.get(key);
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function bool(map: RecordMap, key: string): boolean | undefined {
	const value = map.get(key);
	return typeof value === 'boolean' ? value : undefined;
}

/** `a, b, c` → `['a', 'b', 'c']` (lists stored as one string: owners, co-authors). */
export function splitList(value: string | undefined): string[] {
	if (!value) return [];
	return value
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
}

export function joinList(values: readonly string[]): string {
	return values
		.map((v) => v.replaceAll(',', ' ').trim())
		.filter(Boolean)
		.join(', ');
}

export function isRecordMap(value: unknown): value is RecordMap {
	return value instanceof Y.Map;
}
