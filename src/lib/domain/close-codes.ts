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
	internal: 4500
} as const;

export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];
