/**
 * The live glossary of a board: terms (`glossary`, written by facilitators and the server) and the
 * readings proposed per perspective (`readings`, records of their own so that each participant
 * writes only their own: byline `authorId`, `authorName` and `perspective` are checked by the
 * server). The server seeds both from the trajectory's glossary when a board loads and writes every
 * client change back to it (server/realtime/glossary-sync.ts), so the trajectory page, other
 * boards and the exports see the same terms.
 */
import * as Y from 'yjs';
import { LIMITS } from '../../domain/cards.ts';
import {
	GLOSSARY_LIMITS,
	GLOSSARY_STATUSES,
	isGlossaryStatus,
	readingProblem,
	termProblem,
	type GlossaryReading,
	type GlossaryStatus,
	type GlossaryTerm
} from '../../domain/glossary.ts';
import { newId } from '../../domain/ids.ts';
import { isPerspective, PERSPECTIVES } from '../../domain/roles.ts';
import { idShape, TIME, type FieldSpec } from './fields.ts';
import {
	BoardWriteError,
	isRecordMap,
	num,
	records,
	ROOT,
	str,
	type Author,
	type RecordMap
} from './keys.ts';

/** Field keys of a term record (`glossary.<termId>`). */
export const TERM = {
	id: 'id',
	term: 'term',
	meaning: 'meaning',
	note: 'note',
	status: 'status',
	createdAt: 'createdAt'
} as const;

/** Field keys of a reading record (`readings.<readingId>`). */
export const READING = {
	id: 'id',
	termId: 'termId',
	perspective: 'perspective',
	text: 'text',
	authorId: 'authorId',
	authorName: 'authorName',
	createdAt: 'createdAt'
} as const;

/** Every field of a term: only facilitators (and the server) write terms, meanings and status. */
export const TERM_FIELDS: Readonly<Record<keyof typeof TERM, FieldSpec>> = {
	id: { shape: idShape(), writer: 'facilitator' },
	term: { shape: { type: 'string', max: GLOSSARY_LIMITS.term }, writer: 'facilitator' },
	meaning: { shape: { type: 'string', max: GLOSSARY_LIMITS.meaning }, writer: 'facilitator' },
	note: { shape: { type: 'string', max: GLOSSARY_LIMITS.note }, writer: 'facilitator' },
	status: {
		shape: { type: 'string', max: 16, values: GLOSSARY_STATUSES },
		writer: 'facilitator'
	},
	createdAt: { shape: TIME, writer: 'facilitator' }
};

/** Every field of a reading: a participant proposes for their own perspective, under their name. */
export const READING_FIELDS: Readonly<Record<keyof typeof READING, FieldSpec>> = {
	id: { shape: idShape(), writer: 'participant' },
	termId: { shape: idShape(), writer: 'participant' },
	perspective: {
		shape: { type: 'string', max: 32, values: PERSPECTIVES },
		writer: 'participant',
		byline: 'perspective'
	},
	text: { shape: { type: 'string', max: GLOSSARY_LIMITS.meaning }, writer: 'participant' },
	authorId: { shape: idShape(), writer: 'participant', byline: 'authorId' },
	authorName: {
		shape: { type: 'string', max: LIMITS.name },
		writer: 'participant',
		byline: 'authorName'
	},
	createdAt: { shape: TIME, writer: 'participant' }
};

// ---------------------------------------------------------------------------------------------
// Reading

function readTermRecord(map: RecordMap): Omit<GlossaryTerm, 'readings'> | null {
	const id = str(map, TERM.id);
	const term = str(map, TERM.term);
	if (!id || !term) return null;
	const status = str(map, TERM.status);
	return {
		id,
		term,
		meaning: str(map, TERM.meaning) ?? '',
		note: str(map, TERM.note) ?? '',
		status: isGlossaryStatus(status) ? status : 'open',
		createdAt: num(map, TERM.createdAt) ?? 0
	};
}

function readReadingRecord(map: RecordMap): GlossaryReading | null {
	const id = str(map, READING.id);
	const termId = str(map, READING.termId);
	const perspective = str(map, READING.perspective);
	const text = str(map, READING.text);
	if (!id || !termId || !isPerspective(perspective) || text === undefined) return null;
	return {
		id,
		termId,
		perspective,
		text,
		authorId: str(map, READING.authorId) ?? '',
		authorName: str(map, READING.authorName) ?? '',
		createdAt: num(map, READING.createdAt) ?? 0
	};
}

const byTime = <T extends { createdAt: number; id: string }>(a: T, b: T) =>
	a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The board's glossary: terms in the order they were added, each with its readings (oldest first). */
export function readGlossary(doc: Y.Doc): GlossaryTerm[] {
	const readings = new Map<string, GlossaryReading[]>();
	for (const record of records(doc, ROOT.readings).values()) {
		if (!isRecordMap(record)) continue;
		const reading = readReadingRecord(record);
		if (!reading) continue;
		const list = readings.get(reading.termId) ?? [];
		list.push(reading);
		readings.set(reading.termId, list);
	}
	const terms: GlossaryTerm[] = [];
	for (const record of records(doc, ROOT.glossary).values()) {
		if (!isRecordMap(record)) continue;
		const term = readTermRecord(record);
		if (term) terms.push({ ...term, readings: (readings.get(term.id) ?? []).sort(byTime) });
	}
	return terms.sort(byTime);
}

// ---------------------------------------------------------------------------------------------
// Writing: terms (facilitators, the server)

const problem = (code: string | null, what: string) => {
	if (code) throw new BoardWriteError(`invalid ${what}: ${code}`);
};

/** A term's fields as stored (its readings are records of their own). */
const termValues = (t: Omit<GlossaryTerm, 'readings'>): Record<string, string | number> => ({
	[TERM.id]: t.id,
	[TERM.term]: t.term,
	[TERM.meaning]: t.meaning,
	[TERM.note]: t.note,
	[TERM.status]: t.status,
	[TERM.createdAt]: t.createdAt
});

/** A reading's fields as stored. */
const readingValues = (r: GlossaryReading): Record<string, string | number> => ({
	[READING.id]: r.id,
	[READING.termId]: r.termId,
	[READING.perspective]: r.perspective,
	[READING.text]: r.text,
	[READING.authorId]: r.authorId,
	[READING.authorName]: r.authorName,
	[READING.createdAt]: r.createdAt
});

/**
 * Record `id` of `root` with `values`: created when missing, and only the fields that differ set.
 * Returns whether anything changed. Call inside a transaction.
 */
function putRecord(
	doc: Y.Doc,
	root: typeof ROOT.glossary | typeof ROOT.readings,
	id: string,
	values: Record<string, string | number>
): boolean {
	const all = records(doc, root);
	let record = all.get(id);
	let changed = false;
	if (!isRecordMap(record)) {
		record = new Y.Map() as RecordMap;
		all.set(id, record);
		changed = true;
	}
	for (const [key, value] of Object.entries(values))
		if (record.get(key) !== value) {
			record.set(key, value);
			changed = true;
		}
	return changed;
}

export interface NewTerm {
	term: string;
	meaning?: string;
	note?: string;
	status?: GlossaryStatus;
	id?: string;
	createdAt?: number;
}

/** Adds a term (facilitator). Returns its id. Throws {@link BoardWriteError} on bad input. */
export function addTerm(doc: Y.Doc, input: NewTerm, origin: unknown = null): string {
	problem(termProblem(input.term), 'term');
	problem(readingProblem(input.meaning ?? '', true), 'meaning');
	if ((input.note ?? '').trim().length > GLOSSARY_LIMITS.note)
		throw new BoardWriteError('invalid note: too long');
	const id = input.id ?? newId();
	doc.transact(() => {
		putRecord(
			doc,
			ROOT.glossary,
			id,
			termValues({
				id,
				term: input.term.trim(),
				meaning: (input.meaning ?? '').trim(),
				note: (input.note ?? '').trim(),
				status: input.status ?? 'open',
				createdAt: input.createdAt ?? Date.now()
			})
		);
	}, origin);
	return id;
}

export interface TermChange {
	term?: string;
	meaning?: string;
	note?: string;
	status?: GlossaryStatus;
}

/** Changes a term's name, agreed meaning, note or status (facilitator); only what differs is written. */
export function updateTerm(doc: Y.Doc, id: string, change: TermChange, origin: unknown = null) {
	const record = records(doc, ROOT.glossary).get(id);
	if (!isRecordMap(record)) throw new BoardWriteError(`no term ${id}`);
	if (change.term !== undefined) problem(termProblem(change.term), 'term');
	if (change.meaning !== undefined) problem(readingProblem(change.meaning, true), 'meaning');
	if (change.note !== undefined && change.note.trim().length > GLOSSARY_LIMITS.note)
		throw new BoardWriteError('invalid note: too long');
	if (change.status !== undefined && !isGlossaryStatus(change.status))
		throw new BoardWriteError('invalid status');
	doc.transact(() => {
		const set = (key: string, value: string | undefined) => {
			if (value !== undefined && record.get(key) !== value) record.set(key, value);
		};
		set(TERM.term, change.term?.trim());
		set(TERM.meaning, change.meaning?.trim());
		set(TERM.note, change.note?.trim());
		set(TERM.status, change.status);
	}, origin);
}

/** Removes a term and its readings (facilitator). */
export function removeTerm(doc: Y.Doc, id: string, origin: unknown = null): void {
	doc.transact(() => {
		records(doc, ROOT.glossary).delete(id);
		const readings = records(doc, ROOT.readings);
		for (const [readingId, record] of [...readings.entries()])
			if (isRecordMap(record) && str(record, READING.termId) === id) readings.delete(readingId);
	}, origin);
}

// ---------------------------------------------------------------------------------------------
// Writing: readings (participants for their own perspective; facilitators for anyone)

/**
 * Adds a reading of a term for `author.perspective` (a participant's own; a facilitator writes
 * down what a perspective said). Returns its id. Throws {@link BoardWriteError} on bad input.
 */
export function proposeReading(
	doc: Y.Doc,
	input: { termId: string; text: string; author: Author; id?: string; createdAt?: number },
	origin: unknown = null
): string {
	problem(readingProblem(input.text), 'reading');
	if (!input.author.perspective) throw new BoardWriteError('a reading needs a perspective');
	if (!records(doc, ROOT.glossary).has(input.termId))
		throw new BoardWriteError(`no term ${input.termId}`);
	const id = input.id ?? newId();
	const perspective = input.author.perspective;
	doc.transact(() => {
		putRecord(
			doc,
			ROOT.readings,
			id,
			readingValues({
				id,
				termId: input.termId,
				perspective,
				text: input.text.trim(),
				authorId: input.author.id,
				authorName: input.author.name.slice(0, LIMITS.name),
				createdAt: input.createdAt ?? Date.now()
			})
		);
	}, origin);
	return id;
}

/** Changes a reading's text (its author, or a facilitator). */
export function updateReading(doc: Y.Doc, id: string, text: string, origin: unknown = null): void {
	problem(readingProblem(text), 'reading');
	const record = records(doc, ROOT.readings).get(id);
	if (!isRecordMap(record)) throw new BoardWriteError(`no reading ${id}`);
	if (record.get(READING.text) === text.trim()) return;
	doc.transact(() => record.set(READING.text, text.trim()), origin);
}

export function removeReading(doc: Y.Doc, id: string, origin: unknown = null): void {
	doc.transact(() => records(doc, ROOT.readings).delete(id), origin);
}

// ---------------------------------------------------------------------------------------------
// The server: the trajectory's glossary into the board

/**
 * Makes the board's glossary equal to `terms` (the trajectory's, as the database holds it),
 * writing only what differs: missing terms and readings are added, changed fields set, and those
 * the trajectory no longer has removed. Server only (`SERVER_ORIGIN`). Returns whether anything
 * changed.
 */
export function replaceGlossary(
	doc: Y.Doc,
	terms: readonly GlossaryTerm[],
	origin: unknown
): boolean {
	const termRecords = records(doc, ROOT.glossary);
	const readingRecords = records(doc, ROOT.readings);
	let changed = false;
	doc.transact(() => {
		const termIds = new Set(terms.map((t) => t.id));
		const readingIds = new Set(terms.flatMap((t) => t.readings.map((r) => r.id)));
		for (const id of [...termRecords.keys()])
			if (!termIds.has(id)) {
				termRecords.delete(id);
				changed = true;
			}
		for (const id of [...readingRecords.keys()])
			if (!readingIds.has(id)) {
				readingRecords.delete(id);
				changed = true;
			}
		for (const term of terms) {
			if (putRecord(doc, ROOT.glossary, term.id, termValues(term))) changed = true;
			for (const reading of term.readings)
				if (
					putRecord(doc, ROOT.readings, reading.id, readingValues({ ...reading, termId: term.id }))
				)
					changed = true;
		}
	}, origin);
	return changed;
}

/** The term and reading records a transaction touched (ids), for writing them back. */
export function touchedGlossary(doc: Y.Doc, transaction: Y.Transaction) {
	const termRoot = records(doc, ROOT.glossary);
	const readingRoot = records(doc, ROOT.readings);
	const terms = new Set<string>();
	const readings = new Set<string>();
	for (const [type, keys] of transaction.changed) {
		const into = (root: object, ids: Set<string>) => {
			if (type === root) for (const key of keys) if (key !== null) ids.add(key);
			const parentSub = type._item?.parentSub;
			if (type.parent === root && parentSub) ids.add(parentSub);
		};
		into(termRoot, terms);
		into(readingRoot, readings);
	}
	return { terms, readings };
}
