/**
 * The room registry: one loaded Yjs document (plus awareness) per room name, with an explicit
 * lifecycle.
 *
 *   acquire(name) ──load from store──▶ ready ──(holds = 0, after unloadDelayMs)──▶ flush, compact ──▶ gone
 *
 * - `acquire` gets or loads a room and takes a hold on it (a connection, or server work such as a
 *   reveal); `release` gives the hold back. Concurrent acquires share one load, which ends with the
 *   awaited `onLoad` (the app's reads for the room: theme, session state, glossary): nobody gets the
 *   room, and no client receives anything of it, before that has finished.
 * - Every document update (from clients or the server) is appended to the store and broadcast to the
 *   room's connections. Default write-through: the append starts first (with SQLite the row is on
 *   disk before anyone receives the update); `flushDelayMs` > 0 batches appends instead.
 * - A room unloads only when it has no holds, no pending updates and no running store call; a hold
 *   taken while it flushes cancels the unload, so a room is never served from a stale copy.
 * - After `compactAfter` appended rows, and on unload, the log is replaced by one snapshot, which the
 *   store merges from the stored rows themselves (so it holds what other nodes appended too).
 *
 * Across nodes (the `bus`, issue 12): a loaded room listens to its document's topic. What this
 * node accepts (a client's write after authorisation, or the server's own) is stored, then
 * published; what another node published is applied with `BUS_ORIGIN` and sent to this node's
 * sockets only: it was stored and judged by the node that accepted it. Presence batches are
 * published the same way. After a bus outage (`onResume`) every room reads its log again.
 */
import { createFanout } from './fanout.ts';
import { createPace, type PaceOptions } from './pace.ts';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { StoredDoc, UpdateLog } from './store.ts';
import type { Bus, DocMessage } from '../../src/lib/server/bus/bus.ts';
import { decodeAwarenessUpdate, encodeAwareness, encodeUpdate } from './protocol.ts';

/** What a room needs from a connection to broadcast to it. */
export interface RoomPeer {
	/** Sends one binary message (drops it when the socket is closing). */
	send(message: Uint8Array): void;
}

/**
 * The Yjs client id bindings as the rooms use them: the synchronous `ClientOwners` of today's SQLite
 * context or its async form `AsyncClientOwners` (client-owners.ts); every call is awaited or its
 * promise kept, so both work.
 */
export interface RoomOwners {
	load(docName: string): Map<number, string> | Promise<Map<number, string>>;
	bind(docName: string, clientId: number, owner: string): void | Promise<void>;
}

export interface RoomsOptions {
	/** The update log (the room-facing methods of `UpdateStore` and `AsyncUpdateStore`). */
	store: UpdateLog;
	/** Where Yjs client id bindings are kept across restarts (default: in memory only). */
	owners?: RoomOwners;
	/**
	 * 0 (default): write-through, every update's append starts before it is broadcast (with SQLite
	 * the row is written by then). Above 0: updates are merged and appended at most this many ms
	 * later (fewer rows under heavy load; a crash can lose that window on the server, and clients
	 * must send it back).
	 */
	flushDelayMs?: number;
	/** Appended rows after which the log is compacted into one snapshot (default 300). */
	compactAfter?: number;
	/** Time a room stays loaded after its last hold is released (ms, default 2000). */
	unloadDelayMs?: number;
	/**
	 * Awareness changes are collected for this long and sent as one message (ms, default 50; 0 sends
	 * each at once). Presence is O(N²) per room: 200 cursors moving become a few messages a second
	 * per client instead of hundreds.
	 */
	awarenessBatchMs?: number;
	/** The longest interval presence batches stretch to on a busy server (ms, default 8 × the batch). */
	awarenessMaxBatchMs?: number;
	/**
	 * Sockets a presence batch is sent to per turn of the event loop (default 32, fanout.ts): card
	 * edits that arrive meanwhile go out first.
	 */
	awarenessSlice?: number;
	/** How the pace reads the server's load (pace.ts; default the event loop's, every second). */
	pace?: Pick<PaceOptions, 'utilisation' | 'everyMs'>;
	/**
	 * The bus to the other nodes (src/lib/server/bus). None, or a solo bus: this node is alone and
	 * nothing is published, subscribed or looked up for other nodes.
	 */
	bus?: Bus;
	/**
	 * Called once a room's document is loaded, before anyone gets it; returns (or resolves to) a
	 * cleanup run before unload. Awaited: concurrent acquires wait for it too. When it throws, the
	 * room is dropped and the load fails (it must not have left anything to clean up then).
	 */
	onLoad?: (room: Room) => (() => void) | void | Promise<(() => void) | void>;
	/** Where store failures are reported (default console.error). */
	logError?: (message: string, error: unknown) => void;
	/**
	 * Called when an update of `room` could not be stored (the database unreachable, issue 12 item
	 * 4). The update is not sent on; it stays in the room and is stored by the retry. The caller
	 * closes the room's sockets, so that nobody writes on into a board that cannot keep it and
	 * every client syncs again once the storage is back.
	 */
	onStoreFailed?: (room: Room, error: unknown) => void;
}

/** Origin of transactions the server makes itself (reveal, tally, session ended). */
export { SERVER_ORIGIN } from '../../src/lib/board/schema/index.ts';
const LOAD_ORIGIN = Symbol('load');
/**
 * Origin of what another node accepted (a document update from the bus, or read back from the store
 * after a bus outage): applied and sent to this node's sockets, never stored or published again,
 * and server watchers (history stamps, reveals, glossary write-back) leave it alone: they ran on the
 * node that accepted the write.
 */
export const BUS_ORIGIN = 'server-bus';

/**
 * Bus messages without content are requests (a Yjs or awareness update is never empty): an empty
 * `update` asks the rooms of that document to read their log again (a node back from a bus outage
 * may have published nothing meanwhile), an empty `awareness` asks for every node's presence.
 */
const REQUEST = new Uint8Array(0);

export interface RoomStats {
	name: string;
	connections: number;
	holds: number;
	pendingUpdates: number;
	/** Bytes stored for this document (log plus snapshot, approximate until compaction). */
	bytes: number;
	/** Rows appended since the last compaction. */
	rowsSinceCompaction: number;
}

/** One loaded document. Create rooms only through `createRooms().acquire`. */
export class Room {
	readonly doc = new Y.Doc();
	readonly awareness = new awarenessProtocol.Awareness(this.doc);
	readonly peers = new Set<RoomPeer>();
	/** Which identity (owner key) writes with which Yjs client id; see connection.ts. */
	readonly clientOwners = new Map<number, string>();
	/** Keeps a binding of `clientOwners` (set by the registry: stored across restarts). */
	persistOwner: (clientId: number, owner: string) => void = () => {};
	/** Asks for a compaction soon (the stored log holds much more than the live document). */
	compactSoon: () => void = () => {};
	/** Which peer speaks for which awareness client id. */
	readonly awarenessOwners = new Map<number, RoomPeer>();
	/** Awareness client ids whose state came from another node (their sockets are there). */
	readonly remoteAwareness = new Set<number>();
	/**
	 * Reads the store of bindings again into `clientOwners` (set by the registry when other nodes may
	 * have bound ids this room has not seen); null when nobody else binds. A connection that meets an
	 * unknown Yjs client id awaits it before judging (connection.ts): once per new id, never per edit.
	 */
	refreshOwners: (() => Promise<void>) | null = null;
	/** Stops listening to the bus (null: not subscribed). */
	unsubscribe: (() => Promise<void>) | null = null;
	holds = 0;
	bytes = 0;
	rowsSinceCompaction = 0;
	/** Set when the room has been unloaded; a destroyed room must not be used. */
	destroyed = false;
	pending: Uint8Array[] = [];
	/** The running batch append or compaction. */
	storing: Promise<void> | null = null;
	/** Write-through appends not yet confirmed by the store. */
	readonly inflight = new Set<Promise<unknown>>();
	/** … of them, the document updates' appends: each resolves whether its update was stored. */
	readonly appends = new Set<Promise<boolean>>();
	/**
	 * The last write-through update's delivery to this room's sockets: each goes out once its own
	 * append has settled and the one before it has gone out (in order).
	 */
	delivered: Promise<void> = Promise.resolve();
	/** Write-through updates whose delivery is still to come (`delivered`): while any is, the next waits too. */
	undelivered = 0;
	/**
	 * Set while write-through updates whose append failed wait in `pending` for their retry: resolves
	 * true once they are stored, false when the room goes first. The document holds them meanwhile.
	 */
	retrying: Promise<boolean> | null = null;
	/** Settles `retrying`. */
	retried: ((stored: boolean) => void) | null = null;
	flushTimer: NodeJS.Timeout | null = null;
	unloadTimer: NodeJS.Timeout | null = null;
	cleanup: (() => void) | null = null;
	/** Awareness client ids changed since the last awareness broadcast. */
	awarenessChanged = new Set<number>();
	/** … of them, the ones this node speaks for: published to the other nodes. */
	awarenessToPublish = new Set<number>();
	awarenessTimer: NodeJS.Timeout | null = null;
	/**
	 * The presence changes waiting for the room's next batch, taken now as one message (and
	 * published to the other nodes), or null when none wait or a batch is still being sent.
	 */
	takePresence: () => Uint8Array | null = () => null;

	constructor(readonly name: string) {
		this.awareness.setLocalState(null);
	}

	/** The owner of a Yjs client id as this room knows it (see `refreshOwners` for other nodes'). */
	ownerOf(clientId: number): string | undefined {
		return this.clientOwners.get(clientId);
	}

	/** Whether judging a write of these client ids must first ask the store of bindings. */
	mustLookUp(clientIds: Iterable<number>): boolean {
		if (!this.refreshOwners) return false;
		for (const id of clientIds) if (!this.clientOwners.has(id)) return true;
		return false;
	}

	/** Binds a Yjs client id to an owner, here and in the store of bindings. */
	bindClient(clientId: number, owner: string): void {
		if (this.clientOwners.get(clientId) === owner) return;
		this.clientOwners.set(clientId, owner);
		this.persistOwner(clientId, owner);
	}

	/**
	 * Server writers that add their part to a client's transaction (history.ts: the stamps), so a
	 * client's change and what the server adds to it are stored and sent as one update.
	 */
	readonly inClientTransaction = new Set<(tr: Y.Transaction) => void>();

	/**
	 * Applies an accepted client update as one transaction with the server's additions. When a
	 * writer added something, the whole update also goes back to the client that sent it (it lacks
	 * the server's part); otherwise the sender is skipped as before.
	 */
	applyFromClient(update: Uint8Array, origin: unknown): void {
		this.doc.transact((tr) => {
			Y.applyUpdate(this.doc, update, origin);
			if (this.inClientTransaction.size === 0) return;
			// Reading an update marks the transaction as someone else's (`local = false`). The
			// server's own writes in it would then look to Yjs like another client using the
			// server's id, and it would give the server a new client id at every edit. They are the
			// server's own writes.
			tr.local = true;
			for (const write of this.inClientTransaction) write(tr);
		}, origin);
	}

	/**
	 * Resolves once everything the document holds now is stored: the updates whose append is
	 * running, and those whose append failed, once their retry has stored them (true; false when
	 * the room goes first). Null when nothing is being appended or retried, so what the document
	 * holds now is stored (write-through; batched appends, `flushDelayMs`, send before they store
	 * by design).
	 */
	storedSoFar(): Promise<boolean> | null {
		if (this.appends.size === 0 && !this.retrying) return null;
		// A failed append sets `retrying` before its promise settles.
		return Promise.all(this.appends).then(() => this.retrying ?? true);
	}

	/** Sends `message` to every peer except `except`. */
	broadcast(message: Uint8Array, except?: unknown): void {
		for (const peer of this.peers) if (peer !== except) peer.send(message);
	}

	/**
	 * Sends a document update to every peer except `except`, each followed by `presence` (to every
	 * peer): with writes coalesced per turn (cork.ts), both leave in one system call per socket.
	 */
	broadcastWith(message: Uint8Array, presence: Uint8Array, except?: unknown): void {
		for (const peer of this.peers) {
			if (peer !== except) peer.send(message);
			peer.send(presence);
		}
	}

	stats(): RoomStats {
		return {
			name: this.name,
			connections: this.peers.size,
			holds: this.holds,
			pendingUpdates: this.pending.length + this.inflight.size,
			bytes: this.bytes,
			rowsSinceCompaction: this.rowsSinceCompaction
		};
	}
}

/** `Transaction.meta` key: a server writer added to this client transaction (`applyFromClient`). */
export const SERVER_PART = Symbol('server part');

export function createRooms(options: RoomsOptions) {
	const { store } = options;
	const flushDelayMs = options.flushDelayMs ?? 0;
	const compactAfter = options.compactAfter ?? 300;
	const unloadDelayMs = options.unloadDelayMs ?? 2000;
	const awarenessBatchMs = options.awarenessBatchMs ?? 50;
	// Presence slows down when the server is busy, so card edits keep their speed (pace.ts).
	const pace = createPace({
		...options.pace,
		baseMs: awarenessBatchMs,
		maxMs: options.awarenessMaxBatchMs
	});
	// Presence batches go out a slice of sockets per turn, behind document updates (fanout.ts).
	const fanout = createFanout({ slice: options.awarenessSlice });
	const logError = options.logError ?? ((message, error) => console.error(message, error));
	const onStoreFailed = options.onStoreFailed ?? (() => {});
	// A solo bus reaches nobody: skip it entirely, so one node costs what it did before the bus.
	const bus = options.bus && !options.bus.solo ? options.bus : null;
	const rooms = new Map<string, Room>();
	const loading = new Map<string, Promise<Room>>();
	let closed = false;
	/** The bus refused the last publish (logged once per outage). */
	let busFailing = false;

	const published = () => {
		busFailing = false;
	};
	const publishFailed = (error: unknown) => {
		if (!busFailing) logError('realtime: publishing to the other nodes failed', error);
		busFailing = true;
	};
	/**
	 * Sends what this node stored to the other nodes (never awaited: the store is the truth). Also
	 * while closing: the final flush's updates reach the nodes that stay.
	 */
	function publish(room: Room, kind: DocMessage['kind'], data: Uint8Array): void {
		if (!bus) return;
		bus.publishDoc(kind, room.name, data).then(published, publishFailed);
	}

	/** What another node published for a loaded room. */
	function receive(room: Room, message: DocMessage): void {
		if (room.destroyed) return;
		try {
			if (message.kind === 'update') {
				if (message.data.byteLength === 0) void resync(room);
				else Y.applyUpdate(room.doc, message.data, BUS_ORIGIN);
				return;
			}
			if (message.data.byteLength === 0) return publishPresence(room);
			for (const { clientId, state } of decodeAwarenessUpdate(message.data)) {
				if (room.awarenessOwners.has(clientId)) continue;
				if (state === null) room.remoteAwareness.delete(clientId);
				else room.remoteAwareness.add(clientId);
			}
			awarenessProtocol.applyAwarenessUpdate(room.awareness, message.data, BUS_ORIGIN);
		} catch (error) {
			logError(`realtime: a message from another node for ${room.name} failed`, error);
		}
	}

	/** Publishes the presence of everyone on this node's sockets in the room. */
	function publishPresence(room: Room): void {
		const ids = [...room.awarenessOwners.keys()].filter((id) => room.awareness.states.has(id));
		if (ids.length > 0)
			publish(room, 'awareness', awarenessProtocol.encodeAwarenessUpdate(room.awareness, ids));
	}

	/**
	 * Reads the room's log again and applies it (Yjs updates are idempotent): what other nodes stored
	 * while their messages could not reach this one reaches this node's sockets now.
	 */
	async function resync(room: Room): Promise<void> {
		try {
			const stored = await store.load(room.name);
			if (room.destroyed) return;
			room.doc.transact(() => {
				for (const update of stored.updates) Y.applyUpdate(room.doc, update, BUS_ORIGIN);
			}, BUS_ORIGIN);
		} catch (error) {
			logError(`realtime: reading ${room.name} again after a bus outage failed`, error);
		}
	}

	/**
	 * Sends a request (an empty message) to the other nodes, trying a few times: after an outage the
	 * subscriber may be back before the publisher.
	 */
	async function request(room: Room, kind: DocMessage['kind']): Promise<void> {
		for (let attempt = 0; bus && attempt < 10 && !room.destroyed; attempt++) {
			try {
				await bus.publishDoc(kind, room.name, REQUEST);
				return;
			} catch {
				await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
			}
		}
	}

	/** Listens to the room's topic; a failure (bus down) leaves it to `onResume`. */
	async function subscribe(name: string, handler: (message: DocMessage) => void) {
		if (!bus) return null;
		try {
			return await bus.subscribeDoc(name, handler);
		} catch (error) {
			logError(`realtime: listening to ${name} on the bus failed (again once it is back)`, error);
			return null;
		}
	}

	// Back from a bus outage: messages may have been lost both ways. Every room reads its log again,
	// asks the other nodes to do the same (this node's publishes may have failed meanwhile) and
	// exchanges presence.
	const stopResume =
		bus?.onResume(() => {
			for (const room of rooms.values()) {
				void (async () => {
					if (!room.unsubscribe) {
						const unsubscribe = await subscribe(room.name, (message) => receive(room, message));
						if (room.destroyed) void unsubscribe?.();
						else room.unsubscribe = unsubscribe;
					}
					await resync(room);
					await request(room, 'update');
					publishPresence(room);
					await request(room, 'awareness');
				})();
			}
		}) ?? (() => {});

	async function load(name: string): Promise<Room> {
		// Listen before reading the store, so that nothing stored meanwhile is missed; what arrives
		// during the load is applied once the room is there.
		const early: DocMessage[] = [];
		let deliver = (message: DocMessage): void => void early.push(message);
		const unsubscribe = await subscribe(name, (message) => deliver(message));
		const room = new Room(name);
		room.unsubscribe = unsubscribe;
		const { doc } = room;
		let stored: StoredDoc;
		try {
			const loaded = (stored = await store.load(name));
			doc.transact(() => {
				for (const update of loaded.updates) Y.applyUpdate(doc, update, LOAD_ORIGIN);
			}, LOAD_ORIGIN);
		} catch (error) {
			discard(room);
			throw error;
		}
		room.bytes = stored.bytes;
		room.rowsSinceCompaction = stored.updates.length > 1 ? stored.updates.length : 0;
		const owners = options.owners;
		if (owners) {
			try {
				for (const [clientId, owner] of await owners.load(name))
					room.clientOwners.set(clientId, owner);
			} catch (error) {
				discard(room);
				throw error;
			}
			room.persistOwner = (clientId, owner) => {
				const failed = (error: unknown) =>
					logError(`realtime: storing a client id of ${name} failed`, error);
				try {
					const bound = owners.bind(name, clientId, owner);
					// Async form: not awaited (the write goes on), but flush and unload wait for it, like an append.
					if (bound) {
						const write: Promise<void> = bound
							.catch(failed)
							.finally(() => room.inflight.delete(write));
						room.inflight.add(write);
					}
				} catch (error) {
					failed(error);
				}
			};
			// Another node may have bound a client id since this room loaded: ask the store before
			// taking an unknown id as free.
			if (bus) room.refreshOwners = refresher(room, owners);
		}
		room.compactSoon = () => {
			if (!room.storing && !room.destroyed && !closed) void compact(room).catch(() => {});
		};
		doc.on('update', (update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => {
			if (origin === LOAD_ORIGIN) return;
			room.bytes += update.byteLength;
			if (origin === BUS_ORIGIN) {
				// Stored and judged by the node that accepted it: only this node's sockets need it.
				sendUpdate(room, encodeUpdate(update));
				return;
			}
			// A client's update with the server's part added goes back to that client as well.
			const except = tr.meta.has(SERVER_PART) ? undefined : origin;
			if (flushDelayMs === 0 && !closed) {
				// Nothing reaches another socket before it is stored. Where the store can append at
				// once (SQLite outside a unit of work), the update goes out in this same turn; else
				// (a round trip on PostgreSQL, an open unit of work on SQLite's one connection) once
				// its append has settled, in order behind the ones still waiting.
				const now = room.undelivered === 0 ? appendNow(room, update) : 'later';
				if (now === 'stored') sendStored(room, update, except);
				if (now !== 'later') return;
				const stored = writeThrough(room, update);
				const before = room.delivered;
				room.undelivered++;
				room.delivered = stored.then(async (ok) => {
					await before;
					room.undelivered--;
					// Not stored (the retry stores it): it goes to nobody, whose sockets close.
					if (ok) sendStored(room, update, except);
				});
				return;
			}
			room.pending.push(update);
			scheduleFlush(room);
			// Batched appends (`flushDelayMs`): sent at once, stored with the batch.
			sendUpdate(room, encodeUpdate(update), except);
		});
		/** The room's previous batch is sent: what changed meanwhile goes out one interval later. */
		const batchSent = () => {
			if (room.destroyed || room.awarenessChanged.size === 0) return;
			room.awarenessTimer ??= setTimeout(sendAwareness, pace.intervalMs);
		};
		/** The changes since the last batch as one message (null: none), published to the other nodes. */
		const takeChanges = (): Uint8Array | null => {
			const message = encodeAwareness(room.awareness, [...room.awarenessChanged]);
			room.awarenessChanged.clear();
			if (room.awarenessToPublish.size > 0) {
				const ids = [...room.awarenessToPublish];
				room.awarenessToPublish.clear();
				publish(room, 'awareness', awarenessProtocol.encodeAwarenessUpdate(room.awareness, ids));
			}
			return message;
		};
		const sendAwareness = () => {
			room.awarenessTimer = null;
			// Still sending the previous batch: these changes follow it (`batchSent`).
			if (fanout.busy(room)) return;
			const message = takeChanges();
			// To everyone, the sender too: y-websocket clients count their own renewed state as a sign
			// of life (a lone client would otherwise reconnect every 30 s). Batched presence goes out in
			// slices, so that document updates never wait behind it (fanout.ts).
			if (message && awarenessBatchMs === 0) room.broadcast(message);
			else if (message) fanout.enqueue(room, room.peers, message, batchSent);
		};
		// Only a batch that waits for its timer is taken: one still being sent (fanout.ts) must
		// reach every socket before newer states do.
		room.takePresence = () => {
			if (!room.awarenessTimer || fanout.busy(room)) return null;
			clearTimeout(room.awarenessTimer);
			room.awarenessTimer = null;
			return takeChanges();
		};
		room.awareness.on(
			'update',
			(
				{ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
				origin: unknown
			) => {
				for (const id of [...added, ...updated, ...removed]) {
					room.awarenessChanged.add(id);
					// This node's own sockets (and their departures) go to the other nodes; states that came
					// from another node, and their time-outs here, do not.
					if (bus && origin !== BUS_ORIGIN && !room.remoteAwareness.has(id))
						room.awarenessToPublish.add(id);
				}
				for (const id of removed) room.remoteAwareness.delete(id);
				if (awarenessBatchMs === 0) sendAwareness();
				else if (!fanout.busy(room))
					room.awarenessTimer ??= setTimeout(sendAwareness, pace.intervalMs);
			}
		);
		// What other nodes published while the room loaded (Yjs skips what the store already gave).
		deliver = (message) => receive(room, message);
		for (const message of early) receive(room, message);
		try {
			room.cleanup = (await options.onLoad?.(room)) ?? null;
		} catch (error) {
			// Whatever onLoad started (the server's first writes) finishes; then the room goes.
			await Promise.allSettled(room.inflight);
			discard(room);
			throw error;
		}
		if (closed) {
			// Closing meanwhile: what onLoad wrote is stored, but nobody gets the room.
			await flush(room).catch(() => {});
			discard(room);
			throw new Error('realtime server is closing');
		}
		rooms.set(name, room);
		// Who is already here on other nodes (their states renew only every 15 s).
		publish(room, 'awareness', REQUEST);
		if (room.rowsSinceCompaction >= compactAfter) void compact(room).catch(() => {});
		return room;
	}

	/** Sends a stored update to the room's sockets (all but `except`). */
	function sendStored(room: Room, update: Uint8Array, except: unknown): void {
		try {
			sendUpdate(room, encodeUpdate(update), except);
		} catch (error) {
			logError(`realtime: sending to ${room.name} failed`, error);
		}
	}

	/**
	 * Sends a document update to the room's sockets (all but `except`). On a busy server, presence
	 * changes that wait for the room's next batch ride along: every socket gets the update anyway,
	 * and with writes coalesced the batch then costs no system call of its own, and arrives sooner
	 * (at 100 boards × 30: 15 % fewer socket writes, presence p50 410 → 148 ms; issue-10.md).
	 */
	function sendUpdate(room: Room, message: Uint8Array, except?: unknown): void {
		const presence = pace.coalesceWrites ? room.takePresence() : null;
		if (presence) room.broadcastWith(message, presence, except);
		else room.broadcast(message, except);
	}

	/** An update is stored: now the other nodes may have it (the durability promise holds across nodes). */
	function onStored(room: Room, update: Uint8Array): void {
		publish(room, 'update', update);
		room.rowsSinceCompaction++;
		if (room.rowsSinceCompaction >= compactAfter && !room.storing && !room.destroyed)
			void compact(room).catch(() => {});
	}

	/** An append failed: the update waits in the batch queue for a retry; `onStoreFailed` is told. */
	function notStored(room: Room, update: Uint8Array, error: unknown): void {
		room.pending.push(update);
		room.retrying ??= new Promise((resolve) => (room.retried = resolve));
		logError(`realtime: storing ${room.name} failed`, error);
		if (!closed) setTimeout(() => scheduleFlush(room), 1000);
		onStoreFailed(room, error);
	}

	/**
	 * Appends one update synchronously where the store can (`UpdateStore.appendNow`): 'stored', or
	 * 'failed' (handled as in `writeThrough`), or 'later' when nothing was done and the caller
	 * appends through `writeThrough`.
	 */
	function appendNow(room: Room, update: Uint8Array): 'stored' | 'failed' | 'later' {
		if (!store.appendNow) return 'later';
		try {
			if (!store.appendNow(room.name, update)) return 'later';
		} catch (error) {
			notStored(room, update, error);
			return 'failed';
		}
		onStored(room, update);
		return 'stored';
	}

	/**
	 * Starts the append of one update now; a failure puts it back in the batch queue for a retry and
	 * tells `onStoreFailed`. Resolves once the append has settled: true when it was stored.
	 */
	function writeThrough(room: Room, update: Uint8Array): Promise<boolean> {
		const write: Promise<boolean> = store
			.append(room.name, update)
			.then(
				() => {
					onStored(room, update);
					return true;
				},
				(error: unknown) => {
					notStored(room, update, error);
					return false;
				}
			)
			.finally(() => {
				room.inflight.delete(write);
				room.appends.delete(write);
			});
		room.inflight.add(write);
		room.appends.add(write);
		return write;
	}

	function scheduleFlush(room: Room): void {
		if (room.flushTimer || closed) return;
		room.flushTimer = setTimeout(() => {
			room.flushTimer = null;
			void flush(room).catch(() => {});
		}, flushDelayMs);
	}

	/**
	 * Appends everything pending (merged into one update) and waits for running store calls.
	 * @throws when the store fails; the updates stay pending and a retry is scheduled.
	 */
	async function flush(room: Room): Promise<void> {
		if (room.flushTimer) {
			clearTimeout(room.flushTimer);
			room.flushTimer = null;
		}
		while (room.storing || room.inflight.size > 0 || room.pending.length > 0) {
			if (room.inflight.size > 0) {
				await Promise.all(room.inflight); // failures come back through `pending`
				continue;
			}
			if (room.storing) {
				await room.storing;
				continue;
			}
			const batch = room.pending;
			room.pending = [];
			const update = batch.length === 1 ? batch[0] : Y.mergeUpdates(batch);
			room.storing = store.append(room.name, update).then(
				() => {
					room.storing = null;
					publish(room, 'update', update);
					room.rowsSinceCompaction++;
				},
				(error: unknown) => {
					room.storing = null;
					room.pending.unshift(update);
					logError(`realtime: storing ${room.name} failed`, error);
					if (!closed) setTimeout(() => scheduleFlush(room), 1000);
					onStoreFailed(room, error);
					throw error;
				}
			);
			await room.storing;
		}
		settleRetry(room, true);
		if (room.rowsSinceCompaction >= compactAfter) await compact(room);
	}

	/**
	 * Replaces the stored log by one snapshot, which the store merges from the stored rows (so it
	 * holds what other nodes appended, whether this room has it yet or not).
	 */
	async function compact(room: Room): Promise<void> {
		while (room.storing || room.inflight.size > 0)
			await (room.storing ?? Promise.all(room.inflight));
		room.storing = store.compact(room.name).then(
			(stored) => {
				room.storing = null;
				room.rowsSinceCompaction = 0;
				if (stored !== null)
					room.bytes = stored + room.pending.reduce((s, u) => s + u.byteLength, 0);
			},
			(error: unknown) => {
				room.storing = null;
				logError(`realtime: compacting ${room.name} failed`, error);
				throw error;
			}
		);
		await room.storing;
	}

	async function unload(room: Room): Promise<void> {
		room.unloadTimer = null;
		try {
			await flush(room);
			if (room.holds > 0) return;
			if (room.rowsSinceCompaction > 0) await compact(room);
		} catch {
			return; // stays loaded; the retry timer flushes and a later release unloads
		}
		if (room.holds > 0 || room.pending.length > 0 || room.storing || room.inflight.size > 0) return;
		if (room.destroyed) return;
		destroy(room);
	}

	/** Drops a room that never became loaded (its load failed). */
	function discard(room: Room): void {
		destroy(room);
	}

	/**
	 * `Room.refreshOwners` for one room: reads the bindings of other nodes. Calls while one read runs
	 * share the next read (which starts after it), so a burst of new client ids costs two reads.
	 */
	function refresher(room: Room, owners: RoomOwners): () => Promise<void> {
		let running: Promise<void> | null = null;
		let next: Promise<void> | null = null;
		const read = async () => {
			try {
				for (const [id, owner] of await owners.load(room.name)) room.clientOwners.set(id, owner);
			} catch (error) {
				logError(`realtime: reading the client ids of ${room.name} failed`, error);
			}
		};
		const refresh = (): Promise<void> => {
			if (!running) {
				running = read().finally(() => (running = null));
				return running;
			}
			next ??= running.then(() => {
				next = null;
				return refresh();
			});
			return next;
		};
		return refresh;
	}

	/** The failed appends of `room` are stored now, or never will be (`Room.retrying`). */
	function settleRetry(room: Room, stored: boolean): void {
		room.retried?.(stored);
		room.retrying = room.retried = null;
	}

	function destroy(room: Room): void {
		room.destroyed = true;
		settleRetry(room, false);
		rooms.delete(room.name);
		if (room.flushTimer) clearTimeout(room.flushTimer);
		if (room.unloadTimer) clearTimeout(room.unloadTimer);
		if (room.awarenessTimer) clearTimeout(room.awarenessTimer);
		fanout.forget(room);
		room.cleanup?.();
		void room.unsubscribe?.().catch(() => {});
		room.unsubscribe = null;
		room.awareness.destroy();
		room.doc.destroy();
	}

	const api = {
		/** Whether socket writes are coalesced per turn now: the server is busy (pace.ts, cork.ts). */
		coalesceWrites: (): boolean => pace.coalesceWrites,
		/**
		 * Gets the room (loading it from the store when needed) and takes a hold on it.
		 * @throws when loading fails (the store or a stored update is broken); nothing is kept.
		 */
		async acquire(name: string): Promise<Room> {
			if (closed) throw new Error('realtime server is closing');
			let room = rooms.get(name);
			if (!room) {
				let pending = loading.get(name);
				if (!pending) {
					pending = load(name).finally(() => loading.delete(name));
					loading.set(name, pending);
				}
				room = await pending;
			}
			room.holds++;
			if (room.unloadTimer) {
				clearTimeout(room.unloadTimer);
				room.unloadTimer = null;
			}
			return room;
		},

		/** Gives a hold back; the last one schedules the unload. */
		release(room: Room): void {
			room.holds = Math.max(0, room.holds - 1);
			if (room.holds > 0 || room.destroyed || closed || room.unloadTimer) return;
			room.unloadTimer = setTimeout(() => void unload(room), unloadDelayMs);
		},

		/** The loaded room of that name, if any (takes no hold). */
		get: (name: string): Room | undefined => rooms.get(name),

		/** Names of the loaded rooms starting with `prefix`. */
		loadedNames: (prefix = ''): string[] => [...rooms.keys()].filter((n) => n.startsWith(prefix)),

		/** Per-room statistics of every loaded room (tests, benchmarks). */
		stats: (): RoomStats[] => [...rooms.values()].map((room) => room.stats()),

		/** Stores everything pending in every room (does not unload). */
		async flushAll(): Promise<void> {
			await Promise.allSettled([...rooms.values()].map((room) => flush(room)));
		},

		/** Flushes and compacts every room, then drops them all. Acquire fails afterwards. */
		async close(): Promise<void> {
			pace.stop();
			closed = true;
			stopResume();
			await Promise.allSettled([...loading.values()]);
			await Promise.allSettled(
				[...rooms.values()].map(async (room) => {
					try {
						await flush(room);
						if (room.rowsSinceCompaction > 0) await compact(room);
					} catch (error) {
						logError(`realtime: final store of ${room.name} failed`, error);
					}
				})
			);
			for (const room of [...rooms.values()]) destroy(room);
		}
	};
	return api;
}

export type Rooms = ReturnType<typeof createRooms>;
