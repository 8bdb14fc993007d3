/**
 * The shared board document as a whole: its roots and who writes them ({@link BOARD_DOC}), its
 * creation and migration, `meta`, and the whole board as plain data.
 *
 * Only the server initialises a document ({@link createBoardDoc} with `init`, or {@link migrate}):
 * nested control maps created concurrently by two clients would overwrite each other.
 */
import * as Y from 'yjs';
import type { BoardId } from '../../domain/ids.ts';
import {
	assembleSnapshot,
	DEFAULT_CONTROL,
	type BoardMeta,
	type BoardSnapshot
} from '../../domain/snapshot.ts';
import { CARD_FIELDS, readCards } from './cards.ts';
import { CONTROL_FIELDS, readControl } from './control.ts';
import { readGlossary, READING_FIELDS, TERM_FIELDS } from './glossary.ts';
import { RECORD_KEY, type FieldSpec, type RootSpec } from './fields.ts';
import { COMMENT_FIELDS, LINK_FIELDS, readComments, readLinks } from './links-comments.ts';
import {
	CONTROL,
	META,
	ROOT,
	SERVER_ORIGIN,
	type FieldValue,
	type RecordMap,
	type RootName
} from './keys.ts';

/** Bump when the shape changes, and add a step to {@link migrate}. */
export const SCHEMA_VERSION = 1;

/** The fields of `meta`: written by the server only. */
export const META_FIELDS: Readonly<Record<keyof typeof META, FieldSpec>> = {
	schemaVersion: {
		shape: { type: 'number', min: 0, max: 1000, integer: true },
		writer: 'server'
	},
	boardId: { shape: { type: 'string', max: 80 }, writer: 'server' },
	themeName: { shape: { type: 'string', max: 1000 }, writer: 'server' }
};

/** A map of keyed records whose fields are `fields`. */
export const recordsOf = (
	fields: Readonly<Record<string, FieldSpec>>,
	writer: RootSpec['writer'] = 'participant'
): RootSpec => ({
	kind: 'entries',
	key: RECORD_KEY,
	writer,
	value: { shape: { type: 'map', map: { kind: 'fields', fields } }, writer }
});

/** Every root of the shared board document and what it holds. Nothing else may be written. */
export const BOARD_DOC: Readonly<Record<RootName, RootSpec>> = {
	meta: { kind: 'fields', fields: META_FIELDS, writer: 'server' },
	cards: recordsOf(CARD_FIELDS),
	links: recordsOf(LINK_FIELDS),
	comments: recordsOf(COMMENT_FIELDS),
	control: { kind: 'fields', fields: CONTROL_FIELDS, writer: 'facilitator' },
	glossary: recordsOf(TERM_FIELDS, 'facilitator'),
	readings: recordsOf(READING_FIELDS)
};

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
		control: doc.getMap<unknown>(ROOT.control),
		glossary: doc.getMap<RecordMap>(ROOT.glossary),
		readings: doc.getMap<RecordMap>(ROOT.readings)
	};
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
		control: readControl(doc),
		glossary: readGlossary(doc)
	});
}
