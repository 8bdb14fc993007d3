/**
 * Judges what a client's update would write, against the record families' field declarations
 * ({@link BOARD_DOC}, {@link PRIVATE_DOC}): every written value has the declared type, allowed value
 * and length; no unknown root, field or key; every field is written only by whom it allows; a
 * participant's byline is their own; and each touched record, as the update leaves it, fits its
 * family (a card carries only the fields of its kind). Only the touched paths and records are
 * read, never the whole document: judging costs about as much as the update is long.
 *
 * The server calls {@link judgeChanges} on the changes `server/realtime/changes.ts` reads from an
 * update before applying it; the writers of the families never produce anything it refuses.
 */
import * as Y from 'yjs';
import { cardFieldProblem, CARD_FIELDS } from './cards.ts';
import { BOARD_DOC } from './document.ts';
import {
	keyProblem,
	shapeProblem,
	WRITER_RANK,
	type Byline,
	type FieldSpec,
	type MapSpec,
	type RootSpec,
	type Shape,
	type Writer
} from './fields.ts';
import { CARD, mapIn, PRIVATE_ROOT, ROOT } from './keys.ts';
import { PRIVATE_DOC } from './private.ts';

/** One change an update would make (what `server/realtime/changes.ts` reads). */
export interface SchemaChange {
	kind: 'insert' | 'delete';
	/** `[root, key, key, ...]`; `#` stands for a position in a list. */
	path: readonly string[];
	/** The inserted values (a new Y type for a nested map or list). */
	values?: readonly unknown[];
	/** The Yjs content struct of an insert (its class tells strings from JSON from types). */
	content?: unknown;
}

/** Who writes, as the server knows them. */
export interface SchemaWriter {
	role: 'facilitator' | 'participant';
	/** What the byline fields must say for a participant. */
	byline: Readonly<Record<Byline, string | null>>;
}

/** A record with an author (cards, links, comments, drafts) as the update leaves it. */
export interface AuthoredRecord {
	root: string;
	id: string;
	/** Gone after the update. */
	deleted: boolean;
	/** The record did not exist before (or is replaced by a new one). */
	created: boolean;
	authorId: string | null;
	/** Characters of text in all its string fields. */
	chars: number;
}

/** `field`: the value does not fit; `byline`: not the writer's own; `rule`: not the writer's field. */
export type RefusalCode = 'field' | 'byline' | 'rule';

export type Judgement =
	| {
			ok: true;
			records: AuthoredRecord[];
			/** Characters of text the update writes (overwrites included). */
			written: number;
	  }
	| {
			ok: false;
			code: RefusalCode;
			/** The field, as `root.field` (`cards.text`, `control.currentStep`). */
			field: string;
			problem: string;
	  };

export type DocKind = 'board' | 'private';

const SPECS: Readonly<Record<DocKind, Readonly<Record<string, RootSpec>>>> = {
	board: BOARD_DOC,
	private: PRIVATE_DOC
};

/** Roots whose records have an author and count towards a participant's quota. */
const AUTHORED: ReadonlySet<string> = new Set([
	ROOT.cards,
	ROOT.links,
	ROOT.comments,
	ROOT.readings,
	PRIVATE_ROOT.drafts
]);
const CARD_ROOTS: ReadonlySet<string> = new Set([ROOT.cards, PRIVATE_ROOT.drafts]);

const BYLINE_PROBLEM: Readonly<Record<Byline, string>> = {
	authorId: 'must be your own id',
	authorName: 'must be your own name',
	perspective: 'must be your own perspective'
};

class Refusal {
	constructor(
		readonly field: string,
		readonly problem: string,
		readonly code: RefusalCode = 'field'
	) {}
}

/** The field name a reason shows: the root and the last named segment (`cards.text`). */
function fieldName(path: readonly string[], upTo: number, spec: (MapSpec | null)[]): string {
	const named: string[] = [path[0]];
	for (let i = 1; i <= upTo && i < path.length; i++)
		if (spec[i - 1]?.kind === 'fields') named.push(path[i]);
	return named.join('.');
}

/**
 * Checks that Yjs content holds values of `shape`; every value must fit. A map field's struct holds
 * one value, or several when its writer overwrote the field in a row while the earlier values were
 * kept (a `Y.UndoManager` keeps them from garbage collection, and Yjs merges consecutive deleted
 * structs of one writer into one): a phone that edited a card offline sends such a struct when it
 * comes back. The field shows the last value.
 */
function contentProblem(shape: Shape, change: SchemaChange, inList: boolean): string | null {
	const content = change.content;
	if (content instanceof Y.ContentDeleted) return null;
	const values = change.values ?? [];
	if (
		content !== undefined &&
		!(content instanceof Y.ContentAny || content instanceof Y.ContentType)
	)
		return 'has content of a kind the board does not use';
	if (!inList && values.length === 0) return 'must hold a value';
	for (const value of values) {
		const problem = shapeProblem(shape, value);
		if (problem) return problem;
	}
	return null;
}

interface Leaf {
	field: FieldSpec;
	writer: Writer;
	name: string;
}

/** Walks `path` through the declarations; refuses unknown roots, fields, keys and depths. */
function walk(specs: Readonly<Record<string, RootSpec>>, change: SchemaChange): Leaf {
	const { path } = change;
	const root = Object.hasOwn(specs, path[0]) ? specs[path[0]] : undefined;
	if (!root) throw new Refusal(path[0] ?? '?', 'is not part of this document');
	let writer: Writer = root.writer;
	let map: MapSpec | null = root;
	let list: Shape | null = null;
	const maps: (MapSpec | null)[] = [];
	for (let i = 1; i < path.length; i++) {
		const segment = path[i];
		maps.push(map);
		const name = () => fieldName(path, i, maps);
		let field: FieldSpec;
		if (list) {
			if (segment !== '#' || i !== path.length - 1) throw new Refusal(name(), 'is not a list');
			field = { shape: list, writer };
		} else if (!map) throw new Refusal(name(), 'cannot hold anything');
		else if (map.kind === 'fields') {
			if (!Object.hasOwn(map.fields, segment))
				throw new Refusal(
					`${fieldName(path, i - 1, maps)}.${segment.slice(0, 40)}`,
					'is not a known field'
				);
			field = map.fields[segment];
		} else {
			const problem = keyProblem(map.key, segment);
			if (problem) throw new Refusal(name(), problem);
			field = map.value;
		}
		if (WRITER_RANK[field.writer] > WRITER_RANK[writer]) writer = field.writer;
		if (i === path.length - 1) return { field, writer, name: name() };
		map = null;
		list = null;
		if (field.shape.type === 'map') map = field.shape.map;
		else if (field.shape.type === 'array') list = field.shape.item;
		else throw new Refusal(name(), 'cannot hold anything');
	}
	throw new Refusal(path[0], 'cannot be replaced');
}

/** The value a record field has after the update (written here, else what the record had). */
function makeRecordView(
	existing: unknown,
	replaced: boolean,
	written: Map<string, unknown>,
	deleted: Set<string>
) {
	const before = !replaced && existing instanceof Y.Map ? (existing as Y.Map<unknown>) : null;
	return {
		get(field: string): unknown {
			if (written.has(field)) return written.get(field);
			if (deleted.has(field)) return undefined;
			return before?.get(field);
		},
		/** Every field the record has after the update. */
		fields(): Set<string> {
			const keys = new Set(written.keys());
			if (before) for (const key of before.keys()) if (!deleted.has(key)) keys.add(key);
			return keys;
		}
	};
}

interface RecordTouch {
	root: string;
	id: string;
	replaced: boolean;
	removed: boolean;
	written: Map<string, unknown>;
	deleted: Set<string>;
}

/**
 * Judges the changes of one update to a document of `kind` (`target` is the server's copy, before
 * the update). Never throws.
 */
export function judgeChanges(
	kind: DocKind,
	target: Y.Doc,
	changes: readonly SchemaChange[],
	writer: SchemaWriter
): Judgement {
	const specs = SPECS[kind];
	const rank = WRITER_RANK[writer.role];
	const touched = new Map<string, RecordTouch>();
	let written = 0;
	const touch = (root: string, id: string): RecordTouch => {
		const key = `${root}\u0000${id}`;
		let record = touched.get(key);
		if (!record) {
			record = {
				root,
				id,
				replaced: false,
				removed: false,
				written: new Map(),
				deleted: new Set()
			};
			touched.set(key, record);
		}
		return record;
	};
	// A record removed as a whole takes its fields with it, server-written ones (stamps) included:
	// those field deletions are judged with the record, not one by one.
	const removedRecords = new Set<string>();
	for (const change of changes)
		if (change.kind === 'delete' && change.path.length === 2)
			removedRecords.add(`${change.path[0]}\u0000${change.path[1]}`);
	// Records (re)created whole by this update: they may carry old server stamps (undo, redo).
	const createdRecords = new Set<string>();
	for (const change of changes)
		if (change.kind === 'insert' && change.path.length === 2 && AUTHORED.has(change.path[0]))
			createdRecords.add(`${change.path[0]}\u0000${change.path[1]}`);
	try {
		for (const change of changes) {
			const { path } = change;
			if (
				change.kind === 'delete' &&
				path.length > 2 &&
				removedRecords.has(`${path[0]}\u0000${path[1]}`)
			)
				continue;
			if (change.kind === 'delete') {
				let needed: Writer;
				try {
					needed = walk(specs, change).writer;
				} catch {
					needed = 'facilitator'; // tidying up something the schema does not know
				}
				if (WRITER_RANK[needed] > rank)
					throw new Refusal(
						path.slice(0, 3).join('.'),
						`may only be removed by a ${needed}`,
						'rule'
					);
				if (AUTHORED.has(path[0]) && path.length === 2) touch(path[0], path[1]).removed = true;
				else if (AUTHORED.has(path[0]) && path.length === 3)
					touch(path[0], path[1]).deleted.add(path[2]);
				continue;
			}
			const leaf = walk(specs, change);
			const carriedStamp =
				leaf.field.stamp === true &&
				path.length === 3 &&
				createdRecords.has(`${path[0]}\u0000${path[1]}`);
			if (WRITER_RANK[leaf.writer] > rank && !carriedStamp)
				throw new Refusal(leaf.name, `may only be set by a ${leaf.writer}`, 'rule');
			const inList = path[path.length - 1] === '#';
			const problem = contentProblem(leaf.field.shape, change, inList);
			if (problem) throw new Refusal(leaf.name, problem);
			const deletedContent = change.content instanceof Y.ContentDeleted;
			if (!deletedContent)
				for (const value of change.values ?? [])
					if (typeof value === 'string') written += value.length;
			if (writer.role === 'participant' && leaf.field.byline && !deletedContent) {
				const own = writer.byline[leaf.field.byline];
				if ((change.values ?? []).some((value) => value !== own))
					throw new Refusal(leaf.name, BYLINE_PROBLEM[leaf.field.byline], 'byline');
			}
			if (!AUTHORED.has(path[0]) || deletedContent) continue;
			if (path.length === 2) {
				const record = touch(path[0], path[1]);
				record.replaced = true;
				record.removed = false;
				record.written.clear();
				record.deleted.clear();
			} else if (path.length === 3) {
				const record = touch(path[0], path[1]);
				const values = change.values ?? [];
				record.written.set(path[2], values[values.length - 1]);
				record.deleted.delete(path[2]);
			}
		}

		const records: AuthoredRecord[] = [];
		for (const record of touched.values()) {
			const existing = mapIn(target, record.root)?.get(record.id);
			const view = makeRecordView(existing, record.replaced, record.written, record.deleted);
			const removed = record.removed && !record.replaced;
			if (!removed) {
				const id = view.get(CARD.id);
				if (record.written.has(CARD.id) && id !== record.id)
					throw new Refusal(`${record.root}.id`, 'must be the key of its record');
				if (CARD_ROOTS.has(record.root)) {
					const kind = view.get(CARD.kind);
					for (const field of record.written.keys()) {
						if (!Object.hasOwn(CARD_FIELDS, field)) continue;
						const problem = cardFieldProblem(kind, field);
						if (problem) throw new Refusal(`${record.root}.${field}`, problem);
					}
				}
			}
			let chars = 0;
			if (!removed)
				for (const field of view.fields()) {
					const value = view.get(field);
					if (typeof value === 'string') chars += value.length;
				}
			const authorId = removed ? null : view.get(CARD.authorId);
			records.push({
				root: record.root,
				id: record.id,
				deleted: removed,
				created: record.replaced || existing === undefined,
				authorId: typeof authorId === 'string' ? authorId : null,
				chars
			});
		}
		return { ok: true, records, written };
	} catch (error) {
		if (error instanceof Refusal)
			return { ok: false, code: error.code, field: error.field, problem: error.problem };
		return { ok: false, code: 'field', field: '?', problem: 'could not be judged' };
	}
}
