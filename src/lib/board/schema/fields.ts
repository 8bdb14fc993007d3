/**
 * The vocabulary every record family declares its fields in (like tldraw's record validators): the
 * type of a value, its allowed values or limits, and who may write it. `validate.ts` walks these
 * declarations to judge what a client sends; the writers of each family stay inside them.
 */
import * as Y from 'yjs';

/**
 * Who may set a field:
 * - `participant`: anyone who may write the record (participants only in their own records);
 * - `facilitator`: facilitators (and the server), never participants;
 * - `server`: only the server itself (migrations, reveal, tallies): refused from every client.
 */
export type Writer = 'participant' | 'facilitator' | 'server';

/** Ranks of {@link Writer}: a path needs the highest rank of the fields it passes. */
export const WRITER_RANK: Readonly<Record<Writer, number>> = {
	participant: 0,
	facilitator: 1,
	server: 2
};

/**
 * A byline field a participant may only fill with what the server knows of them: their id, their
 * name, their perspective. Facilitators (merges, reveals) are not bound by it.
 */
export type Byline = 'authorId' | 'authorName' | 'perspective';

/** The shape of one value. */
export type Shape =
	| {
			type: 'string';
			/** Most characters (UTF-16 code units, as `String.length`). */
			max: number;
			/** The only values allowed. */
			values?: readonly string[];
			pattern?: RegExp;
			nullable?: boolean;
	  }
	| { type: 'number'; min: number; max: number; integer?: boolean; nullable?: boolean }
	| { type: 'boolean'; nullable?: boolean }
	/** A flag in a set-like map: only `true` is stored. */
	| { type: 'true' }
	/** A nested Y.Map. */
	| { type: 'map'; map: MapSpec }
	/** A nested Y.Array of primitive items. */
	| { type: 'array'; item: Shape; max: number };

export interface FieldSpec {
	shape: Shape;
	writer: Writer;
	/** For participants: must equal what the server knows of the writer. */
	byline?: Byline;
	/**
	 * A server stamp (history.ts) that a client may carry along when it re-creates a whole record
	 * (an undo or redo brings the record back as it was); the server stamps it again right after.
	 */
	stamp?: true;
}

/** How the keys of a nested Y.Map are named. */
export type MapSpec =
	/** A record with fixed field names (a card, a round, `meta`, `control`). */
	| { kind: 'fields'; fields: Readonly<Record<string, FieldSpec>> }
	/** Keyed entries (cards by id, flags by step, ballots by round); every value has one spec. */
	| { kind: 'entries'; key: KeyRule; value: FieldSpec };

export interface KeyRule {
	/** What a key must match (record ids, step ids). */
	pattern?: RegExp;
	values?: readonly string[];
	/** Longest key. */
	max: number;
}

/** A root type of a document: a map of keyed records, or a map of fields. */
export type RootSpec = MapSpec & { writer: Writer };

/** Record ids as the keys of `cards`, `links`, ... (what `newId` makes, plus older test ids). */
export const RECORD_KEY: KeyRule = { pattern: /^[A-Za-z0-9_.-]+$/, max: 64 };

/** Longest string anywhere in a document (a key, an id, a name): keeps judging cheap. */
export const MAX_ID = 64;

/** A string field that holds a record id. */
export const idShape = (nullable = false): Shape => ({
	type: 'string',
	max: MAX_ID,
	pattern: /^[A-Za-z0-9_.-]*$/,
	nullable
});

/** Milliseconds since the epoch (or a duration). */
export const TIME: Extract<Shape, { type: 'number' }> = {
	type: 'number',
	min: 0,
	max: 8.64e15,
	integer: false
};

/** Why `value` does not fit `shape`, or null when it does. Y types are judged by their kind only. */
export function shapeProblem(shape: Shape, value: unknown): string | null {
	if (value === null) {
		if ('nullable' in shape && shape.nullable) return null;
		return 'may not be empty';
	}
	switch (shape.type) {
		case 'string':
			if (typeof value !== 'string') return 'must be text';
			if (value.length > shape.max) return `is longer than ${shape.max} characters`;
			if (shape.values && !shape.values.includes(value)) return 'has a value that is not allowed';
			if (shape.pattern && !shape.pattern.test(value)) return 'has a value that is not allowed';
			return null;
		case 'number':
			if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
			if (shape.integer && !Number.isInteger(value)) return 'must be a whole number';
			if (value < shape.min || value > shape.max)
				return `must be between ${shape.min} and ${shape.max}`;
			return null;
		case 'boolean':
			return typeof value === 'boolean' ? null : 'must be true or false';
		case 'true':
			return value === true ? null : 'must be true';
		case 'map':
			return value instanceof Y.Map ? null : 'must be a map';
		case 'array':
			return value instanceof Y.Array ? null : 'must be a list';
	}
}

/** Why `key` is not a valid key under `rule`, or null. */
export function keyProblem(rule: KeyRule, key: string): string | null {
	if (key.length === 0 || key.length > rule.max) return 'has a key of the wrong length';
	if (rule.values && !rule.values.includes(key)) return 'has a key that is not allowed';
	if (rule.pattern && !rule.pattern.test(key)) return 'has a key that is not allowed';
	return null;
}
