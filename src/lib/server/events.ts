import { EventEmitter } from 'node:events';

/**
 * Things that happen over HTTP that the realtime server must act on at once (close sockets, update a
 * board's control state). Named `onX`-style events with typed payloads, all declared here.
 */
export interface KompasEvents {
	/** A facilitator removed a participant: close their sockets now, refuse them from now on. */
	participantRevoked: { participantId: string; boardId: string };
	/** A participant left ("Verlaten"): their cookie no longer works; close their sockets now. */
	participantLeft: { participantId: string; boardId: string };
	/** A facilitator opened or closed joining for a live session. */
	joiningChanged: { liveSessionId: string; boardId: string; open: boolean };
	/** A live session started: its board is open for writing again (a board hosts several sessions). */
	liveSessionStarted: { liveSessionId: string; boardId: string };
	/** A facilitator reopened an ended session on purpose: its board is writable again. */
	liveSessionReopened: { liveSessionId: string; boardId: string; userId: string };
	/** A live session ended: its board becomes read-only history, for facilitators too. */
	liveSessionEnded: { liveSessionId: string; boardId: string };
	/** A trajectory was deleted: close every socket of its boards (their data is gone). */
	trajectoryDeleted: { trajectoryId: string };
	/**
	 * A trajectory's glossary changed outside a board (the trajectory page) or on one board: every
	 * loaded board of the trajectory takes the database's glossary (`fromBoard`: the board it came from).
	 */
	glossaryChanged: { trajectoryId: string; fromBoard?: string };
	/** An account lost access (removed from a trajectory, logged out everywhere). */
	accessRevoked: { userId: string; trajectoryId: string | null };
}

export type KompasEventName = keyof KompasEvents;

/** Where an event was emitted: on this node, or on another node (it came over the bus). */
export interface EventOrigin {
	remote: boolean;
}

const LOCAL: EventOrigin = Object.freeze({ remote: false });
const REMOTE: EventOrigin = Object.freeze({ remote: true });

/**
 * A typed wrapper around Node's EventEmitter: listeners get exactly the payload declared above, and
 * where it was emitted. With several nodes (issue 12) `bus/events-link.ts` sends every event emitted
 * here to the other nodes (`onLocal`) and emits theirs here (`emitRemote`), never sending those on:
 * no event travels in a loop.
 */
export function createEvents() {
	const emitter = new EventEmitter();
	// Every loaded board listens for glossary changes (glossary-sync.ts), so the number of listeners
	// grows with the boards in use by design: 1,000 open boards are 1,000 listeners, not a leak. That
	// every listener goes when its board unloads is what the rooms' tests and the churn bench check.
	emitter.setMaxListeners(0);
	const outbound = new Set<
		<K extends KompasEventName>(name: K, payload: KompasEvents[K]) => void
	>();
	return {
		/** An event that happened on this node: to every listener here and to the other nodes. */
		emit<K extends KompasEventName>(name: K, payload: KompasEvents[K]): void {
			emitter.emit(name, payload, LOCAL);
			for (const send of outbound) send(name, payload);
		},
		/** An event another node emitted (from the bus): to the listeners here only. */
		emitRemote<K extends KompasEventName>(name: K, payload: KompasEvents[K]): void {
			emitter.emit(name, payload, REMOTE);
		},
		on<K extends KompasEventName>(
			name: K,
			listener: (payload: KompasEvents[K], origin: EventOrigin) => void
		): () => void {
			emitter.on(name, listener);
			return () => emitter.off(name, listener);
		},
		/** Every event emitted on this node (not those from other nodes), for the bus. */
		onLocal(send: <K extends KompasEventName>(name: K, payload: KompasEvents[K]) => void) {
			outbound.add(send);
			return () => void outbound.delete(send);
		}
	};
}

export type Events = ReturnType<typeof createEvents>;
