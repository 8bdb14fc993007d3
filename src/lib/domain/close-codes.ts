/**
 * Websocket close codes of the Kompas realtime server: the one contract between the server
 * (server/realtime) and the browser's connection (board/connection.svelte.ts). 4000-4999 are ours;
 * the reason text says why, in English, for logs and the client's "refused" state.
 */
export const CLOSE = {
	/** Server shutting down (standard "going away"). */
	goingAway: 1001,
	/** Message larger than maxPayload (set by `ws`). */
	tooBig: 1009,
	/** The message could not be decoded. */
	malformed: 4400,
	/** The identity is gone (participant removed, session logged out, session ended). */
	unauthorized: 4401,
	/** A write the role may not make. */
	forbidden: 4403,
	/** The client did not keep up with the messages sent to it. */
	tooSlow: 4408,
	/** The board reached its size limit. */
	boardFull: 4413,
	/** Too many messages per second. */
	rateLimited: 4429,
	/** An internal error while handling this socket's message. */
	internal: 4500,
	/**
	 * Nothing can be stored now (the database is unreachable): the socket closes before anyone
	 * else gets the change, the client keeps it and syncs it when it can connect again.
	 */
	storageUnavailable: 4503
} as const;

export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];

/**
 * Why a write was refused: the first word of a 4403 or 4413 close reason (`quota-cards: …`), so
 * the client can tell the person in words (messages `board_refusal_<kind>`), while the rest of the
 * reason names the field or limit in English for the logs.
 */
export const REFUSALS = [
	/** A value of the wrong type, an unknown field, text over its limit, a value not allowed. */
	'field',
	/** A name, perspective or author id that is not the writer's own. */
	'byline',
	/** A write the role, the step (locked, private) or the owner does not allow. */
	'rule',
	/** The session has ended: the board is read-only. */
	'ended',
	/** The person's number of cards and comments on this board. */
	'quota-cards',
	/** The person's amount of text on this board. */
	'quota-text',
	/** The person rewrote a lot of text in a short time. */
	'quota-rate',
	/** The board's live content reached its size limit. */
	'board-full',
	/** A bezwaar in a consent round without a reason. */
	'consent-reason'
] as const;
export type Refusal = (typeof REFUSALS)[number];

/** A close reason for a refusal of `kind`, cut to fit a close frame (123 bytes). */
export function refusalReason(kind: Refusal, detail: string): string {
	const reason = `${kind}: ${detail}`;
	let cut = reason;
	while (new TextEncoder().encode(cut).byteLength > 123) cut = cut.slice(0, -1);
	return cut;
}

/** The kind of a refusal's close reason, or null when it names none. */
export function refusalOf(reason: string | null | undefined): Refusal | null {
	const kind = reason?.split(':', 1)[0]?.trim();
	return (REFUSALS as readonly string[]).includes(kind ?? '') ? (kind as Refusal) : null;
}
