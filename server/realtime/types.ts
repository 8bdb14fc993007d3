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

/**
 * Websocket close codes (4000-4999 are ours). The reason text says why, in English, for logs and the
 * client's "refused" state.
 */
export const CLOSE = {
	/** Server shutting down (standard "going away"). */
	goingAway: 1001,
	/** Message larger than maxPayload (set by `ws`). */
	tooBig: 1009,
	/** The message could not be decoded. */
	malformed: 4400,
	/** The identity is gone (participant removed, session logged out). */
	unauthorized: 4401,
	/** A write the role may not make; the client should resync. */
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

/** Limits of the realtime server; every field has a default (see `DEFAULT_LIMITS`). */
export interface RealtimeLimits {
	/** Largest websocket message accepted, bytes (`ws` maxPayload; larger closes with 1009). */
	maxPayload: number;
	/** Largest stored size of one board document, bytes; updates beyond it are refused (4413). */
	maxDocBytes: number;
	/** Messages per second per socket (token bucket refill rate). */
	messagesPerSecond: number;
	/** Burst size of the per-socket token bucket. */
	messageBurst: number;
	/** Upgrades per IP that may be waiting for authentication at once. */
	maxPendingUpgradesPerIp: number;
	/** Refused (unauthenticated or forbidden) upgrades per IP per minute before 429. */
	maxFailedUpgradesPerIpPerMinute: number;
	/** Open sockets per IP. */
	maxSocketsPerIp: number;
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
	messagesPerSecond: 60,
	messageBurst: 240,
	maxPendingUpgradesPerIp: 16,
	// Generous: a workshop room shares one Wi-Fi address, and expired cookies make every device retry.
	maxFailedUpgradesPerIpPerMinute: 300,
	maxSocketsPerIp: 300,
	maxBufferedBytes: 16 * 1024 * 1024,
	maxAwarenessIdsPerSocket: 4,
	maxAwarenessBytes: 16 * 1024
};

/** Payload of `onRoomLoaded` / `onRoomUnloaded`. */
export interface RoomEventPayload {
	name: string;
}
