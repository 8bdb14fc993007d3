/**
 * Shared types of the realtime server: who is connected, to which room, and the close codes it
 * answers with. Hook payloads are declared here too.
 */
import type { Role } from '../../src/lib/domain/roles.ts';
import type { Perspective } from '../../src/lib/domain/roles.ts';

/** Who is behind a socket, decided once at the upgrade. */
export type Identity =
	| {
			kind: 'account';
			userId: string;
			name: string;
			role: Exclude<Role, 'participant'>;
			trajectoryId: string;
	  }
	| {
			kind: 'participant';
			participantId: string;
			liveSessionId: string;
			name: string;
			perspective: Perspective;
			role: 'participant';
			trajectoryId: string;
	  };

/** What a websocket path names. */
export type RoomAddress =
	| { kind: 'board'; boardId: string; themeId: string; cycle: number }
	| { kind: 'private'; boardId: string; themeId: string; cycle: number; participantId: string };

/** The room (and store document) name of an address: `board/<id>` or `private/<id>/<participant>`. */
export function roomNameOf(address: RoomAddress): string {
	return address.kind === 'board'
		? boardRoomName(address.boardId)
		: privateRoomName(address.boardId, address.participantId);
}

export const boardRoomName = (boardId: string) => `board/${boardId}`;
export const privateRoomName = (boardId: string, participantId: string) =>
	`private/${boardId}/${participantId}`;
/** Prefix of every private room of a board. */
export const privateRoomPrefix = (boardId: string) => `private/${boardId}/`;

/** The key caps and Yjs client ids are counted under: `user:<id>` or `participant:<id>`. */
export const identityKey = (identity: Identity): string =>
	identity.kind === 'account' ? `user:${identity.userId}` : `participant:${identity.participantId}`;

/** Websocket close codes, shared with the browser's connection. */
export { CLOSE } from '../../src/lib/domain/close-codes.ts';

/** Limits of the realtime server; every field has a default (see `DEFAULT_LIMITS`). */
export interface RealtimeLimits {
	/** Largest websocket message accepted, bytes (`ws` maxPayload; larger closes with 1009). */
	maxPayload: number;
	/**
	 * Largest size of one document's live content, bytes (measured on the encoded state when the
	 * stored log, history included, exceeds it); updates beyond it are refused (4413).
	 */
	maxDocBytes: number;
	/**
	 * Share of `maxDocBytes` kept for facilitators: participants are refused from
	 * `maxDocBytes × (1 − facilitatorReserve)` on, so the facilitator can always go on.
	 */
	facilitatorReserve: number;
	/** Cards, links and comments (or drafts) one participant may have in one document. */
	maxRecordsPerPerson: number;
	/** Characters of text one participant may hold in one document. */
	maxTextPerPerson: number;
	/** Characters of text one participant may write per minute (overwrites included). */
	textPerMinute: number;
	/** Messages per second per socket (token bucket refill rate). */
	messagesPerSecond: number;
	/** Burst size of the per-socket token bucket. */
	messageBurst: number;
	/**
	 * Refused (unauthenticated or forbidden) upgrades per IP per minute; beyond it, attempts that do
	 * not authenticate get 429. The only per-address cap: a venue's Wi-Fi puts everyone on one address.
	 */
	maxFailedUpgradesPerIpPerMinute: number;
	/** Open sockets per participant (board + private document, a few tabs or devices). */
	maxSocketsPerParticipant: number;
	/**
	 * Open sockets per account. A facilitator's board opens one private-document socket per
	 * participant (DraftWatcher), so this is at least the largest session, times a few tabs.
	 */
	maxSocketsPerAccount: number;
	/** Bytes queued towards a client before it is closed as too slow. */
	maxBufferedBytes: number;
	/** Awareness client ids one socket may speak for. */
	maxAwarenessIdsPerSocket: number;
	/** Largest awareness message, bytes: presence is broadcast to everyone, so it stays small. */
	maxAwarenessBytes: number;
}

export const DEFAULT_LIMITS: RealtimeLimits = {
	maxPayload: 1024 * 1024,
	maxDocBytes: 32 * 1024 * 1024,
	facilitatorReserve: 0.1,
	// 300 records and 40,000 characters (80 full cards) per person: far above a workshop's needs,
	// and 400 people at their limit still fit in the board.
	maxRecordsPerPerson: 300,
	maxTextPerPerson: 40_000,
	// Typing into a card writes it at most twice a second (CardEditor's debounce): 60 rewrites of a
	// full 500-character card per minute fit; a flood of rewrites does not.
	textPerMinute: 60_000,
	messagesPerSecond: 60,
	messageBurst: 240,
	// Generous: a workshop room shares one Wi-Fi address, and expired cookies make every device retry.
	maxFailedUpgradesPerIpPerMinute: 300,
	maxSocketsPerParticipant: 8,
	maxSocketsPerAccount: 2000,
	maxBufferedBytes: 16 * 1024 * 1024,
	maxAwarenessIdsPerSocket: 4,
	maxAwarenessBytes: 16 * 1024
};

/** Payload of `onRoomLoaded` / `onRoomUnloaded`. */
export interface RoomEventPayload {
	name: string;
}
