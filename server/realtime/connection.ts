/**
 * One websocket after a successful upgrade: the y-websocket conversation with its room, with every
 * incoming write authorised (authorize.ts) before it is applied, and per-socket limits. Anything
 * wrong closes only this socket, with a close code from `CLOSE` and a reason.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import { WebSocket } from 'ws';
import { authorizeUpdate } from './authorize.ts';
import { corkForThisTurn, type Corkable } from './cork.ts';
import { frameOf } from './frames.ts';
import { controlFacts, isAnonymousStep } from '../../src/lib/board/schema/index.ts';
import { refusalReason } from '../../src/lib/domain/close-codes.ts';
import { createTokenBucket, fitsLiveSize, noteRemoval } from './limits.ts';
import { applyVouched } from './presence.ts';
import { quotaProblem } from './quotas.ts';
import {
	decodeIncoming,
	encodeAwareness,
	encodeSyncStep1,
	encodeSyncStep2,
	MalformedMessage,
	type AwarenessEntry
} from './protocol.ts';
import type { Room, RoomPeer } from './rooms.ts';
import {
	CLOSE,
	identityKey,
	type Identity,
	type RealtimeLimits,
	type RoomAddress
} from './types.ts';

/** A served socket, as the realtime server keeps track of it. */
export interface Connection extends RoomPeer {
	readonly identity: Identity;
	readonly address: RoomAddress;
	readonly ip: string;
	/** Closes the socket with a code and reason (idempotent). */
	close(code: number, reason: string): void;
	/** Answered the last ping (keep-alive). */
	alive: boolean;
	readonly ws: WebSocket;
}

export interface ServeOptions {
	ws: WebSocket;
	/**
	 * The upgraded socket under `ws` (without extensions): written each message's frame, built once
	 * for all its receivers (frames.ts), and corked per turn of the event loop to batch writes
	 * (cork.ts). Without it, messages go through `ws.send`.
	 */
	socket?: Corkable & { write(frame: Uint8Array): boolean };
	/** Whether to cork now (default: always): only a busy server gains by it (pace.ts). */
	coalesce?: () => boolean;
	identity: Identity;
	address: RoomAddress;
	ip: string;
	/** The room of the socket's document. */
	room: Room;
	/** The shared board room (the same as `room` for a board socket); holds the control state. */
	board: Room;
	limits: RealtimeLimits;
	/** Runs once when the socket is gone (release the rooms, forget the connection). */
	onClose(connection: Connection): void;
	/** Reports refused writes and internal errors (default: nothing). */
	log?: (event: string, detail: Record<string, unknown>) => void;
}

/** Closes with a reason that fits a close frame (123 bytes). */
function closeSocket(ws: WebSocket, code: number, reason: string): void {
	if (ws.readyState === WebSocket.CLOSED || ws.readyState === WebSocket.CLOSING) return;
	const bytes = Buffer.from(reason);
	ws.close(code, bytes.byteLength > 123 ? bytes.subarray(0, 120).toString() : reason);
	// A peer that does not answer the close handshake is cut off.
	setTimeout(() => ws.terminate(), 5000).unref();
}

/** Starts the y-websocket conversation on `ws` and returns the connection. */
export function serveConnection(options: ServeOptions): Connection {
	const { ws, identity, room, board, limits } = options;
	const log = options.log ?? (() => {});
	const owner = identityKey(identity);
	const awarenessIds = new Set<number>();
	const bucket = createTokenBucket(limits.messagesPerSecond, limits.messageBurst);
	const actorId = identity.kind === 'account' ? identity.userId : identity.participantId;
	let closed = false;

	const connection: Connection = {
		identity,
		address: options.address,
		ip: options.ip,
		ws,
		alive: true,
		send(message) {
			if (closed || ws.readyState !== WebSocket.OPEN) return;
			if (ws.bufferedAmount > limits.maxBufferedBytes) {
				connection.close(CLOSE.tooSlow, 'too slow: messages piled up');
				return;
			}
			const socket = options.socket;
			if (!socket) {
				ws.send(message, { binary: true });
				return;
			}
			if (options.coalesce?.() ?? true) corkForThisTurn(socket);
			socket.write(frameOf(message));
		},
		close(code, reason) {
			if (closed) return;
			closed = true;
			closeSocket(ws, code, reason);
		}
	};

	const refuse = (code: number, reason: string) => {
		log('refused', { room: room.name, owner, code, reason });
		connection.close(code, reason);
	};

	/**
	 * Judges and applies a client's document update. Returns a promise only when the update's Yjs
	 * client ids must first be looked up in the store of bindings (another node may have bound them;
	 * `Room.mustLookUp`): then the update is judged again, on the document as it is by then.
	 */
	const applyWrite = (update: Uint8Array, lookedUp = false): Promise<void> | void => {
		const verdict = authorizeUpdate(
			{
				role: identity.role,
				actorId,
				name: identity.name,
				perspective: identity.kind === 'participant' ? identity.perspective : null,
				room: options.address.kind,
				target: room.doc,
				board: board.doc
			},
			update
		);
		if (!verdict.ok && verdict.missing) {
			// Not applied, not forwarded; our sync step 1 makes the client send everything we lack in
			// one sync step 2, which is then judged as a whole.
			log('resync', { room: room.name, owner, reason: verdict.reason });
			connection.send(encodeSyncStep1(room.doc));
			return;
		}
		if (!verdict.ok) return refuse(CLOSE.forbidden, verdict.reason);
		if (identity.role === 'observer') return; // nothing new (a sync reply): ignore
		// After a session ends the board is read-only for everyone, facilitators too, until a
		// facilitator reopens the session on purpose (recorded on the session page).
		if (!verdict.empty && controlFacts(board.doc).ended)
			return refuse(
				CLOSE.forbidden,
				refusalReason('ended', 'the session has ended: reopen it to change the board')
			);
		if (!lookedUp && room.mustLookUp(verdict.writers))
			return lookUp().then(() => applyWrite(update, true));
		for (const client of verdict.writers) {
			// Bound here, or by another node on the same store of bindings (read just now when new).
			const known = room.ownerOf(client);
			if (known && known !== owner)
				return refuse(CLOSE.forbidden, 'rule: this Yjs client id belongs to someone else');
		}
		if (!verdict.empty && !verdict.onlyDeletes) {
			// The live content counts, not history; participants stop short of the facilitators' reserve.
			const limit =
				identity.role === 'facilitator'
					? limits.maxDocBytes
					: Math.floor(limits.maxDocBytes * (1 - limits.facilitatorReserve));
			const size = fitsLiveSize(room, update.byteLength, limit);
			if (size.measured !== null && room.bytes > 2 * size.measured) room.compactSoon();
			if (!size.fits)
				return refuse(CLOSE.boardFull, refusalReason('board-full', 'the board is full'));
		}
		if (identity.role === 'participant' && !verdict.empty) {
			const problem = quotaProblem(room.doc, actorId, verdict.records, verdict.written, limits);
			if (problem) return refuse(CLOSE.forbidden, problem);
		}
		for (const client of verdict.writers) room.bindClient(client, owner);
		if (verdict.deletes) noteRemoval(room.doc);
		room.applyFromClient(update, connection);
	};

	/** Reads the bindings other nodes made; the socket's later messages wait (see `run`). */
	const lookUp = async () => {
		await room.refreshOwners?.();
	};

	/** Whether a step is anonymous on the board now (presence there shows only who someone is). */
	const anonymousStep = (step: unknown) => isAnonymousStep(board.doc, step);

	const applyAwareness = (
		clients: AwarenessEntry[],
		bytes: number,
		lookedUp = false
	): Promise<void> | void => {
		// A state from another node with a newer clock, whose Yjs client id this room does not know:
		// ask the store of bindings first (below), once.
		if (
			!lookedUp &&
			room.mustLookUp(
				clients
					.filter(({ clientId, clock, state }) => {
						if (state === null || !room.remoteAwareness.has(clientId)) return false;
						if (room.awarenessOwners.has(clientId)) return false;
						return clock > (room.awareness.meta.get(clientId)?.clock ?? 0);
					})
					.map(({ clientId }) => clientId)
			)
		)
			return lookUp().then(() => applyAwareness(clients, bytes, true));
		// Stock y-websocket clients re-broadcast every awareness change they receive, other people's
		// included. Such echoes are dropped, not refused: refusing cut everyone off as soon as a second
		// person was present. An echo names a client another socket speaks for, a Yjs client id that
		// wrote as someone else, or a client that left (state null) that this socket never spoke for.
		const echo = clients.some(({ clientId, clock, state }) => {
			const speaker = room.awarenessOwners.get(clientId);
			if (speaker === connection) return false;
			if (speaker !== undefined || state === null) return true;
			// Someone on another node: an echo repeats a clock this node has. A newer clock is that
			// client itself, moved here (its node went away), when its Yjs client id is this
			// identity's; anyone else waits until the other node's state has timed out (30 s).
			if (room.remoteAwareness.has(clientId))
				return (
					clock <= (room.awareness.meta.get(clientId)?.clock ?? 0) ||
					room.ownerOf(clientId) !== owner
				);
			const writer = room.clientOwners.get(clientId);
			return writer !== undefined && writer !== owner;
		});
		if (echo) return;
		// The size limit is for what a socket says about itself. An echo is dropped whatever its size:
		// a stock client that joins a board of 300 echoes all 300 states it was sent (about 45 kB), and
		// refusing that cut every newcomer off in a loop.
		if (bytes > limits.maxAwarenessBytes)
			return refuse(CLOSE.malformed, 'awareness state too large');
		for (const { clientId } of clients) {
			if (!awarenessIds.has(clientId) && awarenessIds.size >= limits.maxAwarenessIdsPerSocket)
				return refuse(CLOSE.forbidden, 'too many awareness ids');
		}
		for (const { clientId } of clients) {
			awarenessIds.add(clientId);
			room.awarenessOwners.set(clientId, connection);
			room.remoteAwareness.delete(clientId);
		}
		// Presence shows only what the server knows of the identity (presence.ts).
		applyVouched(room.awareness, clients, identity, connection, anonymousStep);
	};

	const handle = (data: Uint8Array): Promise<void> | void => {
		const message = decodeIncoming(data);
		switch (message.type) {
			case 'sync-step1': {
				// The document may hold updates whose append is still running (a round trip on
				// PostgreSQL): the answer carries them, so it leaves once they are stored. Nothing
				// reaches a client before it is stored, a newcomer's first sync included. The socket's
				// other messages do not wait for it.
				const answer = encodeSyncStep2(room.doc, message.stateVector);
				const stored = room.storedSoFar();
				if (!stored) connection.send(answer);
				else void stored.then((ok) => ok && connection.send(answer));
				return;
			}
			case 'sync-step2':
			case 'sync-update':
				return applyWrite(message.update);
			case 'awareness':
				return applyAwareness(message.clients, message.update.byteLength);
			case 'query-awareness': {
				const states = encodeAwareness(room.awareness);
				if (states) connection.send(states);
				return;
			}
			case 'auth':
				return; // clients do not send these; ignored
		}
	};

	const failed = (error: unknown) => {
		if (error instanceof MalformedMessage) refuse(CLOSE.malformed, error.message);
		else {
			log('error', { room: room.name, owner, error: String(error) });
			refuse(CLOSE.malformed, 'message could not be handled');
		}
	};
	/**
	 * Messages that arrived while an earlier one waits for the store (a lookup of client ids), in
	 * order; null while nothing waits (the usual case: every message is handled at once).
	 */
	let backlog: Uint8Array[] | null = null;
	const run = (bytes: Uint8Array) => {
		let waiting: Promise<void> | void;
		try {
			waiting = handle(bytes);
		} catch (error) {
			return failed(error);
		}
		if (!waiting) return;
		const queued: Uint8Array[] = (backlog = []);
		void waiting.then(
			() => {
				backlog = null;
				while (queued.length > 0 && !closed) {
					run(queued.shift()!);
					// Waiting again: the rest stays queued behind it.
					if (backlog) return void (backlog as Uint8Array[]).unshift(...queued);
				}
			},
			(error: unknown) => {
				backlog = null;
				failed(error);
			}
		);
	};

	ws.on('message', (data, isBinary) => {
		if (closed) return;
		if (!isBinary) return refuse(CLOSE.malformed, 'text messages are not part of the protocol');
		if (!bucket.take()) return refuse(CLOSE.rateLimited, 'too many messages per second');
		const bytes = Array.isArray(data)
			? new Uint8Array(Buffer.concat(data))
			: data instanceof ArrayBuffer
				? new Uint8Array(data)
				: new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
		if (backlog) backlog.push(bytes);
		else run(bytes);
	});
	ws.on('pong', () => {
		connection.alive = true;
	});
	ws.on('error', (error) => {
		log('socket-error', { room: room.name, owner, error: String(error) });
		connection.close(CLOSE.malformed, 'protocol error');
	});
	ws.once('close', () => {
		closed = true;
		room.peers.delete(connection);
		const ids = [...awarenessIds].filter((id) => room.awarenessOwners.get(id) === connection);
		for (const id of ids) room.awarenessOwners.delete(id);
		if (ids.length > 0) awarenessProtocol.removeAwarenessStates(room.awareness, ids, connection);
		options.onClose(connection);
	});

	room.peers.add(connection);
	connection.send(encodeSyncStep1(room.doc));
	const states = encodeAwareness(room.awareness);
	if (states) connection.send(states);
	return connection;
}
