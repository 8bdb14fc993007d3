/**
 * Identifiers for board records and boards. Pure: imports nothing outside `domain/`.
 *
 * Record ids are random, URL-safe and unguessable (16 characters from a 64-letter alphabet, 96 bits),
 * generated on the device that creates the record so that offline edits need no server round trip.
 */

/** A card, link, comment or voting round id (see {@link newId}). */
export type RecordId = string;
export type CardId = RecordId;
export type LinkId = RecordId;
export type CommentId = RecordId;
export type RoundId = RecordId;
/** The id of whoever wrote a record: a participant session id or a user id. */
export type AuthorId = string;
/** `<themeId>.<cycleNumber>`, e.g. `k3j2abcd.1` (cycle starts at 1). */
export type BoardId = string;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ID_LENGTH = 16;
const ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** A fresh random record id. Uses the Web Crypto API (browser and Node 20). */
export function newId(): RecordId {
	const bytes = new Uint8Array(ID_LENGTH);
	crypto.getRandomValues(bytes);
	let id = '';
	for (const byte of bytes) id += ALPHABET[byte & 63];
	return id;
}

/** Whether `value` looks like a record id (what {@link newId} makes, or any 8–64 URL-safe chars). */
export function isRecordId(value: unknown): value is RecordId {
	return typeof value === 'string' && ID_PATTERN.test(value);
}

/** The board id of one theme in one cycle. Throws on a cycle below 1 or a theme id with a dot. */
export function boardIdOf(themeId: string, cycle: number): BoardId {
	if (!Number.isInteger(cycle) || cycle < 1) throw new RangeError(`cycle must be >= 1: ${cycle}`);
	if (!themeId || themeId.includes('.') || themeId.includes('/'))
		throw new RangeError(`invalid theme id: ${themeId}`);
	return `${themeId}.${cycle}`;
}

/** Splits a board id into theme id and cycle, or `null` when it is malformed. */
export function parseBoardId(boardId: string): { themeId: string; cycle: number } | null {
	const match = /^([A-Za-z0-9_-]{1,64})\.([1-9][0-9]{0,3})$/.exec(boardId);
	if (!match) return null;
	return { themeId: match[1], cycle: Number(match[2]) };
}
