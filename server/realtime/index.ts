/**
 * The realtime server: y-websocket rooms for the shared board documents and the participants'
 * private documents, on the same HTTP server as the pages (mounted by server/index.ts in production,
 * server/vite-plugin.ts in development, tests/server/helpers in tests).
 *
 * Components (one concern each):
 * - `access.ts`     paths, Origin and identity checks of the upgrade
 * - `connection.ts` one socket's y-websocket conversation, limits, write authorisation
 * - `authorize.ts`  the write rules; `changes.ts` reads what an update would change
 * - `rooms.ts`      room registry and lifecycle (load, batch-store, compact, unload)
 * - `reveal.ts`     server-side reveal of private drafts and tally of ballots
 * - `anonymity.ts`  keeps facilitators out of private documents during a round hidden from them
 * - `history.ts`    the server's clock on cards and agreements (Kampen's two sessions)
 * - `glossary-sync.ts` the board's live glossary, seeded from and written back to the trajectory's
 *                  glossary
 * - `pace.ts`       presence batches slow down while the event loop is busy; `fanout.ts` sends
 *                  each batch a slice of sockets per turn, behind card edits; `memory.ts` collects
 *                  unloaded rooms' garbage once the server comes to rest; `keepalive.ts` pings
 *                  each socket once per interval, a slice of them at a time
 * - `store.ts`      the `UpdateStore` port (src/lib/server/updates: `store.sqlite.ts`, `store.memory.ts`)
 *
 * Identity, membership and session state come from the app's repositories (`app.trajectories`,
 * `app.liveSessions`, `app.participants`), the update log from `app.updates`: no SQL here. Every
 * call to them is awaited (synchronous on today's SQLite context, async on the Kysely forms); none
 * runs per client update: what a room needs while it judges or stamps an update (theme, closed
 * state, the running session, the glossary, client id owners) is read when it loads and kept
 * up to date by the app's events.
 * - `protocol.ts`   wire encoding; `limits.ts` small limiters; `types.ts` shared types
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type * as Y from 'yjs';
import type { AppContext } from '../../src/lib/server/context.ts';
import { parseBoardId } from '../../src/lib/domain/ids.ts';
import { originAllowed, parseRoomPath, resolveAccess } from './access.ts';
import {
	migrate,
	recordSessionStarts,
	setEnded,
	setJoiningOpen
} from '../../src/lib/board/schema/index.ts';
import { serveConnection, type Connection } from './connection.ts';
import { createKeepAlive } from './keepalive.ts';
import { createCounter, createWindowCounter } from './limits.ts';
import { watchBoard } from './reveal.ts';
import { facilitatorsKeptOut, HIDDEN_REASON, watchAnonymity } from './anonymity.ts';
import { watchHistory } from './history.ts';
import { sessionNumbers } from '../../src/lib/domain/history.ts';
import { syncGlossary } from './glossary-sync.ts';
import { createIdleCollector, type IdleCollectorOptions } from './memory.ts';
import { createRooms, SERVER_ORIGIN, type Room, type RoomStats } from './rooms.ts';
import { StorageUnavailableError, type UpdateLog } from './store.ts';
import type { Bus } from '../../src/lib/server/bus/bus.ts';
import type { RoomOwners } from './rooms.ts';
import {
	boardRoomName,
	CLOSE,
	DEFAULT_LIMITS,
	identityKey,
	roomNameOf,
	type Identity,
	type RealtimeLimits,
	type RoomAddress
} from './types.ts';

export { createMemoryStore } from '../../src/lib/server/updates/store.memory.ts';
export { createSqliteStore } from '../../src/lib/server/updates/store.sqlite.ts';
export type { UpdateStore } from './store.ts';
export { CLOSE } from './types.ts';

export interface RealtimeOptions {
	app: AppContext;
	/** Where documents are stored; default the app's update store (`app.updates`). */
	store?: UpdateLog;
	/** Where Yjs client id bindings are kept; default the app's (`app.clientOwners`). */
	owners?: RoomOwners;
	/**
	 * The bus to the other nodes (server/node.ts): rooms publish what this node stored and apply
	 * what other nodes stored (rooms.ts). Default none: one node, nothing published. App events of
	 * other nodes reach this server through `app.events` (bus/events-link.ts, linked by whoever made
	 * the context and the bus); after a bus outage (`onResume`) this server checks its open sockets
	 * and loaded boards against the database again, for the events it may have missed.
	 */
	bus?: Bus;
	limits?: Partial<RealtimeLimits>;
	/**
	 * 0 (default): every update is appended before it is forwarded. Above 0: appends are batched for
	 * at most this many ms (200 at most keeps the window a crash could lose small).
	 */
	flushDelayMs?: number;
	/** Rows after which a document's log is compacted (default 300). */
	compactAfter?: number;
	/** How long a room stays loaded after its last client left (ms, default 2000). */
	unloadDelayMs?: number;
	/** Awareness changes are sent in batches of this many ms (default 50; 0: at once). */
	awarenessBatchMs?: number;
	/** Sockets a presence batch is sent to per turn of the event loop (default 32, fanout.ts). */
	awarenessSlice?: number;
	/** When unloaded rooms' garbage is collected (memory.ts); `{ collect: null }` turns it off. */
	idleCollector?: IdleCollectorOptions;
	/** Keep-alive ping interval (ms, default 30 000); unanswered pings close the socket. */
	pingIntervalMs?: number;
	/**
	 * Structured log: `refused` (a write or socket refused), `resync`, `upgrade-refused`, `error`,
	 * `socket-error`. Default: errors to console.error, refused writes to console.warn.
	 */
	log?: (event: string, detail: Record<string, unknown>) => void;
}

export interface RealtimeServer {
	/** The HTTP `upgrade` handler for `/ws/...` paths; anything else is answered 404. */
	upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
	/** Loaded rooms and their connections (tests, benchmarks). */
	stats(): { rooms: RoomStats[]; connections: number };
	/** Stores everything pending, without closing anything. */
	flush(): Promise<void>;
	/**
	 * Changes a stored document as the server (retention): loads it, or takes the live room, runs
	 * `edit` in one transaction, which is stored and sent to everyone connected, and lets go.
	 */
	editDoc(name: string, edit: (doc: Y.Doc) => void): Promise<void>;
	/** Names of the stored documents starting with `prefix`. */
	listDocs(prefix: string): Promise<string[]>;
	/** Resolves when the server jobs (reveal, tally) started so far are done (tests). */
	settled(): Promise<void>;
	/** Closes every socket (1001), stores and compacts every room. Call before the DB closes. */
	close(): Promise<void>;
}

/** A connection the server refuses after the upgrade (closed with `code` and the message). */
class RefusedError extends Error {
	constructor(
		readonly code: number,
		message: string
	) {
		super(message);
	}
}

const STATUS_TEXT: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	503: 'Service Unavailable'
};

/** Answers an upgrade request with a plain HTTP error and drops the socket. */
function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
	if (socket.writable) {
		const body = `${reason}\n`;
		socket.write(
			`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n` +
				'Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
				`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
		);
	}
	socket.destroy();
}

/** The board's theme (its name, its trajectory), or null when the theme is gone. */
async function themeOfBoard(
	app: AppContext,
	boardId: string
): Promise<{ name: string; trajectoryId: string } | null> {
	const themeId = parseBoardId(boardId)?.themeId;
	return themeId ? ((await app.trajectories.themes.get(themeId)) ?? null) : null;
}

/** Creates the realtime server; it subscribes to `app.events` until `close()`. */
export function createRealtimeServer(options: RealtimeOptions): RealtimeServer {
	const { app } = options;
	const limits: RealtimeLimits = { ...DEFAULT_LIMITS, ...options.limits };
	const store = options.store ?? app.updates;
	const log =
		options.log ??
		((event, detail) => {
			if (event === 'error') console.error('realtime:', detail);
			// A refused write means a crafted client or a client bug: worth a line in the log.
			else if (event === 'refused') console.warn('realtime: refused', JSON.stringify(detail));
		});
	const { liveSessions } = app;
	/** The board's sessions with their numbers (1 = the first started) and start times. */
	const numberedSessions = async (boardId: string) => {
		const themeId = parseBoardId(boardId)?.themeId;
		const sessions = themeId
			? (await liveSessions.listForTheme(themeId)).filter((s) => s.boardId === boardId)
			: [];
		const numbers = sessionNumbers(
			sessions.map((s) => ({ id: s.id, startedAt: s.startedAt?.getTime() ?? null }))
		);
		return sessions.flatMap((s) => {
			const number = numbers.get(s.id);
			return number && s.startedAt
				? [{ number, session: s, startedAt: s.startedAt.getTime() }]
				: [];
		});
	};
	/**
	 * What a board's control state takes from the database: closed or not, its sessions' starts and
	 * the number of the session running now (for history.ts's stamps).
	 */
	const sessionStateOf = async (boardId: string) => {
		const [closed, sessions] = await Promise.all([
			liveSessions.boardClosed(boardId),
			numberedSessions(boardId)
		]);
		return {
			closed,
			starts: sessions.map(({ number, startedAt }) => ({ number, startedAt })),
			running: sessions.find(({ session }) => session.status === 'live')?.number ?? null
		};
	};
	/**
	 * The running session's number per loaded board. history.ts stamps agreements inside a client's
	 * transaction, where nothing can be awaited: it reads this, which the board's load fills and the
	 * session events (from this node or, through the bus, another) refresh.
	 */
	const runningSessions = new Map<string, number | null>();
	const watchers = new Map<Room, ReturnType<typeof watchBoard>>();
	/** Database work that outlives a room (the glossary write-back): `settled` and `close` wait for it. */
	const background = new Set<Promise<void>>();
	const track = (work: Promise<void>) => {
		background.add(work);
		void work.finally(() => background.delete(work));
	};
	/** Boards loaded on this node: an event from another node only updates these (see below). */
	const loadedBoards = new Set<string>();
	// Unloaded boards' garbage is collected once the server comes to rest (memory.ts).
	const idle = createIdleCollector(options.idleCollector);
	const rooms = createRooms({
		store,
		owners: options.owners ?? app.clientOwners,
		flushDelayMs: options.flushDelayMs,
		compactAfter: options.compactAfter,
		unloadDelayMs: options.unloadDelayMs,
		awarenessBatchMs: options.awarenessBatchMs,
		awarenessSlice: options.awarenessSlice,
		bus: options.bus,
		logError: (message, error) => log('error', { message, error: String(error) }),
		onStoreFailed(room, error) {
			const [code, reason] =
				error instanceof StorageUnavailableError
					? [CLOSE.storageUnavailable, 'storage unavailable: try again later']
					: [CLOSE.internal, 'the change could not be stored'];
			for (const connection of [...connections])
				if (roomNameOf(connection.address) === room.name) connection.close(code, reason);
		},
		async onLoad(room) {
			idle.activity();
			if (!room.name.startsWith('board/')) return idle.unloaded;
			const boardId = room.name.slice('board/'.length);
			// Everything the board takes from the database, read before anything is written or
			// watched (a failed read leaves nothing behind) and before anyone gets the room.
			const [theme, session] = await Promise.all([
				themeOfBoard(app, boardId),
				sessionStateOf(boardId)
			]);
			const trajectoryId = theme?.trajectoryId;
			const glossaryTerms = trajectoryId ? await app.trajectories.glossary.list(trajectoryId) : [];
			loadedBoards.add(boardId);
			runningSessions.set(boardId, session.running);
			// Bring the document to the schema's current version (defaults, meta) as the server.
			migrate(room.doc, { boardId, themeName: theme?.name }, SERVER_ORIGIN);
			// The database decides whether the board is closed (an event may have been missed in a crash).
			setEnded(room.doc, session.closed, SERVER_ORIGIN);
			const watcher = watchBoard(room, boardId, {
				rooms,
				store,
				perspectives: (boardId) => app.participants.perspectivesOnBoard(boardId),
				now: () => app.now().getTime()
			});
			watchers.set(room, watcher);
			const stopGlossary = trajectoryId
				? syncGlossary(room, {
						trajectoryId,
						boardId,
						glossary: app.trajectories.glossary,
						seed: glossaryTerms,
						events: app.events,
						log,
						track
					})
				: null;
			// Sessions on this board and the server's clock on its cards (history.ts).
			recordSessionStarts(room.doc, session.starts, SERVER_ORIGIN);
			const stopHistory = watchHistory(room, {
				now: () => app.now().getTime(),
				runningSession: () => runningSessions.get(boardId) ?? null
			});
			// An anonymous round hidden from facilitators: their private-document sockets close.
			const stopAnonymity = watchAnonymity(room.doc, () => {
				for (const connection of connections)
					if (
						connection.identity.role === 'facilitator' &&
						connection.address.kind === 'private' &&
						connection.address.boardId === boardId
					)
						connection.close(CLOSE.goingAway, HIDDEN_REASON);
			});
			return () => {
				loadedBoards.delete(boardId);
				runningSessions.delete(boardId);
				stopGlossary?.();
				stopHistory();
				stopAnonymity();
				watcher.stop();
				watchers.delete(room);
				idle.unloaded();
			};
		}
	});
	const wss = new WebSocketServer({
		noServer: true,
		maxPayload: limits.maxPayload,
		perMessageDeflate: false,
		clientTracking: false
	});
	const connections = new Set<Connection>();
	// Open sockets per identity (participant, account): a venue's Wi-Fi puts 400 people with two
	// sockets each behind one address, so authenticated sockets are never counted per address.
	const socketsPerIdentity = createCounter();
	const slotOf = new WeakMap<IncomingMessage, string>();
	// A handshake `ws` itself rejects (bad key or version): give the identity's slot back.
	wss.on('wsClientError', (_error, socket, req) => {
		const key = slotOf.get(req);
		if (key) socketsPerIdentity.remove(key);
		refuseUpgrade(socket, 400, 'bad websocket handshake');
	});
	const refusedPerIp = createWindowCounter(limits.maxFailedUpgradesPerIpPerMinute);
	let closing = false;

	const sweep = setInterval(() => refusedPerIp.sweep(), 60_000);
	sweep.unref();
	// Each socket is pinged once per interval, a slice of them at a time (keepalive.ts).
	const keepAlive = createKeepAlive<Connection>({ intervalMs: options.pingIntervalMs ?? 30_000 });

	/** Writes a board's control state as the server (loads the board when needed). */
	async function setControl(
		boardId: string,
		write: (doc: Room['doc'], origin: typeof SERVER_ORIGIN) => void
	): Promise<void> {
		if (closing) return;
		const room = await rooms.acquire(boardRoomName(boardId));
		try {
			write(room.doc, SERVER_ORIGIN);
		} finally {
			rooms.release(room);
		}
	}

	const closeWhere = (match: (identity: Identity) => boolean, code: number, reason: string) => {
		accessEpoch++;
		for (const connection of connections)
			if (match(connection.identity)) connection.close(code, reason);
	};
	/**
	 * Counts the events that took someone's access away. A socket whose room is still loading (a bus
	 * subscription is a network round trip) is not in `connections` yet, so such an event cannot
	 * close it: when the count moved while it loaded, `open` asks the database again.
	 */
	let accessEpoch = 0;
	/**
	 * Trajectories deleted lately. The delete page emits `trajectoryDeleted` before the rows go (it
	 * closes the sockets first), so a socket that was still loading when the event came may find the
	 * trajectory in the database yet: it is refused by this list. Deletions are rare; the newest
	 * 1000 are kept.
	 */
	const deletedTrajectories = new Set<string>();

	/** Why the database no longer lets `who` into a board of `themeId`, or null while it does. */
	async function revoked(who: Identity, themeId: string): Promise<string | null> {
		if (!(await app.trajectories.themes.get(themeId))) return 'trajectory deleted';
		const allowed =
			who.kind === 'participant'
				? (await app.participants.list(who.liveSessionId)).some(
						(p) => p.id === who.participantId && !p.revokedAt && !p.leftAt
					)
				: (await app.trajectories.roleOf(who.trajectoryId, who.userId)) !== null;
		return allowed ? null : 'access revoked';
	}

	const unsubscribe = [
		app.events.on('participantRevoked', ({ participantId }) =>
			closeWhere(
				(who) => who.kind === 'participant' && who.participantId === participantId,
				CLOSE.unauthorized,
				'removed from the session'
			)
		),
		app.events.on('participantLeft', ({ participantId }) =>
			closeWhere(
				(who) => who.kind === 'participant' && who.participantId === participantId,
				CLOSE.unauthorized,
				'left the session'
			)
		),
		app.events.on('accessRevoked', ({ userId, trajectoryId }) =>
			closeWhere(
				(who) =>
					who.kind === 'account' &&
					who.userId === userId &&
					(trajectoryId === null || who.trajectoryId === trajectoryId),
				CLOSE.unauthorized,
				'access revoked'
			)
		),
		app.events.on('trajectoryDeleted', ({ trajectoryId }, { remote }) => {
			deletedTrajectories.add(trajectoryId);
			if (deletedTrajectories.size > 1000)
				deletedTrajectories.delete(deletedTrajectories.values().next().value as string);
			const themes = new Set<string>();
			for (const connection of connections)
				if (connection.identity.trajectoryId === trajectoryId)
					themes.add(connection.address.themeId);
			closeWhere(
				(who) => who.trajectoryId === trajectoryId,
				CLOSE.unauthorized,
				'trajectory deleted'
			);
			// The node that deleted it emitted this first, so nothing was written there afterwards.
			// Here the event came later: what this node's sockets wrote meanwhile goes too.
			if (remote)
				track(
					(async () => {
						for (const themeId of themes)
							if (!(await app.trajectories.themes.get(themeId)))
								await app.boards.deleteForTheme(themeId);
					})().catch((error) => log('error', { trajectoryId, error: String(error) }))
				);
		}),
		// A session ended, started or was reopened: the database says whether the board is closed.
		// An event from another node changes only boards loaded here: that node wrote the change into
		// the stored board, which a board loaded later starts from.
		...(['liveSessionEnded', 'liveSessionStarted', 'liveSessionReopened'] as const).map((name) =>
			app.events.on(name, ({ boardId }, { remote }) => {
				if (!remote || loadedBoards.has(boardId)) void syncSessionState(boardId);
			})
		),
		app.events.on('joiningChanged', ({ boardId, open }, { remote }) => {
			if (remote && !loadedBoards.has(boardId)) return;
			setControl(boardId, (doc, origin) => setJoiningOpen(doc, open, origin)).catch((error) =>
				log('error', { boardId, error: String(error) })
			);
		})
	];
	// Events published while the bus was down are lost: check what they would have changed.
	const stopResume = options.bus?.onResume(() => void recheck());

	/** Per board, the running `syncSessionState`s, one after the other (the last read wins). */
	const sessionSyncs = new Map<string, Promise<void>>();
	/**
	 * The board's closed state, session starts and running session as the database has them. Runs
	 * one at a time per board, so that two events in quick succession (ended, then reopened) cannot
	 * write their reads in the wrong order.
	 */
	function syncSessionState(boardId: string): Promise<void> {
		const run = async () => {
			const { closed, starts, running } = await sessionStateOf(boardId);
			if (loadedBoards.has(boardId)) runningSessions.set(boardId, running);
			await setControl(boardId, (doc, origin) => {
				setEnded(doc, closed, origin);
				recordSessionStarts(doc, starts, origin);
			});
			// setControl may have loaded the board just now (from the database: the same number).
			if (loadedBoards.has(boardId)) runningSessions.set(boardId, running);
		};
		const previous = sessionSyncs.get(boardId) ?? Promise.resolve();
		const next = previous
			.then(run)
			.catch((error) => log('error', { boardId, error: String(error) }))
			.finally(() => {
				if (sessionSyncs.get(boardId) === next) sessionSyncs.delete(boardId);
			});
		sessionSyncs.set(boardId, next);
		track(next);
		return next;
	}

	/**
	 * Closes the sockets whose access the database no longer grants (participant removed or gone,
	 * account no longer a member, trajectory deleted) and brings every loaded board's session state
	 * to the database's. Runs after a bus outage; an account logged out everywhere is not caught here
	 * (its session is checked again on its next connect).
	 */
	async function recheck() {
		if (closing) return;
		try {
			for (const boardId of loadedBoards) void syncSessionState(boardId);
			for (const connection of [...connections]) {
				const reason = await revoked(connection.identity, connection.address.themeId);
				if (reason) connection.close(CLOSE.unauthorized, reason);
			}
		} catch (error) {
			log('error', { error: `recheck after a bus outage: ${String(error)}` });
		}
	}

	async function open(
		ws: WebSocket,
		socket: Duplex,
		identity: Identity,
		address: RoomAddress,
		ip: string,
		epoch: number
	) {
		const held: Room[] = [];
		const slot = identityKey(identity);
		// Loading a room can take network round trips (the bus subscription): what the client sends
		// meanwhile (its sync step 1) is kept and handled once the connection is served.
		const early: [WebSocket.RawData, boolean][] = [];
		const keep = (data: WebSocket.RawData, isBinary: boolean) => void early.push([data, isBinary]);
		ws.on('message', keep);
		try {
			const board = await rooms.acquire(boardRoomName(address.boardId));
			held.push(board);
			const room = address.kind === 'board' ? board : await rooms.acquire(roomNameOf(address));
			if (room !== board) held.push(room);
			// A participant of an earlier session may not write into a later one on the same board. (That
			// their own ended session leaves the board closed is in `control.ended`, set on load.)
			if (
				identity.kind === 'participant' &&
				(await liveSessions.hasEnded(identity.liveSessionId)) &&
				(await liveSessions.runningOnBoard(address.boardId, identity.liveSessionId))
			)
				throw new RefusedError(CLOSE.unauthorized, 'your session has ended');
			if (
				address.kind === 'private' &&
				identity.role === 'facilitator' &&
				facilitatorsKeptOut(board.doc)
			)
				throw new RefusedError(CLOSE.goingAway, HIDDEN_REASON);
			// Someone lost access while this socket loaded: is it this one?
			const reason = epoch === accessEpoch ? null : await revoked(identity, address.themeId);
			if (reason) throw new RefusedError(CLOSE.unauthorized, reason);
			if (deletedTrajectories.has(identity.trajectoryId))
				throw new RefusedError(CLOSE.unauthorized, 'trajectory deleted');
			if (ws.readyState !== ws.OPEN || closing) throw new Error('socket closed while loading');
			const connection = serveConnection({
				ws,
				socket,
				coalesce: rooms.coalesceWrites,
				identity,
				address,
				ip,
				room,
				board,
				limits,
				log,
				onClose(connection) {
					connections.delete(connection);
					keepAlive.remove(connection);
					socketsPerIdentity.remove(slot);
					for (const r of held) rooms.release(r);
				}
			});
			connections.add(connection);
			keepAlive.add(connection);
			ws.off('message', keep);
			for (const [data, isBinary] of early) ws.emit('message', data, isBinary);
		} catch (error) {
			ws.off('message', keep);
			socketsPerIdentity.remove(slot);
			for (const r of held) rooms.release(r);
			if (error instanceof RefusedError) {
				if (ws.readyState === ws.OPEN) ws.close(error.code, error.message);
				return;
			}
			if (!closing) log('error', { room: roomNameOf(address), error: String(error) });
			if (ws.readyState === ws.OPEN) ws.close(CLOSE.internal, 'the board could not be loaded');
		}
	}

	/**
	 * The rest of an upgrade, once the Origin is fine: who asks (awaited: the repositories may be
	 * async), their socket cap, then the websocket handshake. The socket may have gone, or the server
	 * begun to close, while the database answered.
	 */
	async function admit(
		req: IncomingMessage,
		socket: Duplex,
		head: Buffer,
		address: RoomAddress,
		ip: string,
		epoch: number,
		refuse: (status: number, reason: string) => void
	) {
		let access;
		try {
			access = await resolveAccess(app, req.headers.cookie, address);
		} catch (error) {
			log('error', { url: req.url, error: String(error) });
			// The database cannot be reached: the browser tries again, as after a lost network.
			if (error instanceof StorageUnavailableError)
				return refuseUpgrade(socket, 503, 'storage unavailable');
			return refuseUpgrade(socket, 500, 'internal error');
		}
		if (socket.destroyed || !socket.readable || !socket.writable) return socket.destroy();
		if (closing) return refuseUpgrade(socket, 503, 'shutting down');
		if (!access.ok) return refuse(access.status, access.reason);
		const { identity } = access;
		// Counted now, after the await and in the same turn as the handshake: two upgrades of one
		// person that were checked at the same time cannot both pass the cap.
		const slot = identityKey(identity);
		const cap =
			identity.kind === 'participant'
				? limits.maxSocketsPerParticipant
				: limits.maxSocketsPerAccount;
		if (socketsPerIdentity.get(slot) >= cap)
			return refuseUpgrade(socket, 429, 'too many connections for this person');
		socketsPerIdentity.add(slot);
		slotOf.set(req, slot);
		wss.handleUpgrade(
			req,
			socket,
			head,
			(ws) => void open(ws, socket, identity, address, ip, epoch)
		);
	}

	return {
		upgrade(req, socket, head) {
			socket.on('error', () => socket.destroy());
			const ip = req.socket.remoteAddress ?? 'unknown';
			if (closing) return refuseUpgrade(socket, 503, 'shutting down');
			let address: RoomAddress | null;
			try {
				address = parseRoomPath(new URL(req.url ?? '/', 'http://localhost').pathname);
			} catch {
				address = null;
			}
			if (!address) return refuseUpgrade(socket, 404, 'no such room');
			// Refused attempts are counted per address (there is no identity to count them on); once an
			// address is over its limit, only attempts that authenticate still get in.
			const refuse = (status: number, reason: string) => {
				if (refusedPerIp.blocked(ip))
					return refuseUpgrade(socket, 429, 'too many refused attempts');
				refusedPerIp.hit(ip);
				log('upgrade-refused', { ip, status, reason, url: req.url });
				refuseUpgrade(socket, status, reason);
			};
			if (!originAllowed(app, req.headers.origin, req.headers.host))
				return refuse(403, 'origin not allowed');
			const epoch = accessEpoch;
			void admit(req, socket, head, address, ip, epoch, refuse);
		},

		stats: () => ({ rooms: rooms.stats(), connections: connections.size }),

		flush: () => rooms.flushAll(),

		async editDoc(name, edit) {
			if (closing) throw new Error('shutting down');
			const room = await rooms.acquire(name);
			try {
				room.doc.transact(() => edit(room.doc), SERVER_ORIGIN);
			} finally {
				rooms.release(room);
			}
		},

		listDocs: (prefix) => store.list(prefix),

		async settled() {
			await Promise.all([...watchers.values()].map((watcher) => watcher.ready()));
			while (background.size > 0) await Promise.allSettled([...background]);
		},

		async close() {
			if (closing) return;
			closing = true;
			for (const off of unsubscribe) off();
			stopResume?.();
			keepAlive.stop();
			clearInterval(sweep);
			idle.stop();
			for (const connection of connections) connection.close(CLOSE.goingAway, 'server restarting');
			await Promise.all([...watchers.values()].map((watcher) => watcher.ready()));
			while (background.size > 0) await Promise.allSettled([...background]);
			await rooms.close();
			while (background.size > 0) await Promise.allSettled([...background]);
			wss.close();
		}
	};
}
