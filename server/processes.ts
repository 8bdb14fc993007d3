/**
 * Several processes on one machine (`KOMPAS_PROCESSES=N`, issue 10 item 3): one event loop per
 * core for the realtime rooms. The primary process owns the port and forks N children; each child
 * is a whole Kompas node (pages and websockets) on the same data, as in the several-nodes design
 * (README: Two nodes), with the primary as its bus (bus.process.ts) unless KOMPAS_REDIS_URL is set.
 *
 * The primary reads only the first line of each new connection: a websocket of a board
 * (`/ws/board/<boardId>`, `/ws/private/<boardId>/…`) goes to the child that the board id hashes
 * to, so that all of a board's people share one process and its updates never cross the bus;
 * anything else goes to the children in turn. It then hands the socket itself over (the child
 * writes to it directly; the primary is out of the way). A child that dies is started again;
 * its boards' phones reconnect meanwhile to the other children, and to it once it is back.
 *
 * Two things keep a handed-over connection whole. The primary stops reading it the moment it has
 * the first line (`stopReading`), so what follows (the rest of a request, a body, a websocket's
 * first frames) stays in the kernel for the child. And it keeps its own copy open until the copy
 * is on its way to the child, then closes it: a child that dies first takes the connection down
 * with it, and the phone tries again, instead of waiting on a socket nobody serves.
 *
 * The placement is an optimisation, not a rule: a board held by two children (a keep-alive
 * connection that upgrades later, a restart) still works, over the bus.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { createBusHub, type Link } from '../src/lib/server/bus/bus.process.ts';
import { parseRoomPath } from './realtime/access.ts';

/** The environment variable that tells a child which of the N it is (0-based). */
export const CHILD_INDEX_ENV = 'KOMPAS_PROCESS_INDEX';
/** A request line longer than this is not waited for: the connection goes to any child. */
const MAX_HEAD = 8 * 1024;
/** How long the primary waits for a new connection's first line before closing it. */
const HEAD_TIMEOUT_MS = 10_000;
/** A child that ran this long before it died is restarted after a second again. */
const STABLE_MS = 10_000;
/** The longest wait before restarting a child that keeps dying. */
const MAX_RESTART_MS = 30_000;

/** `KOMPAS_PROCESSES`: how many processes; 1 (no primary) when unset. @throws when invalid. */
export function processCountFromEnv(env: NodeJS.ProcessEnv = process.env): number {
	const raw = env.KOMPAS_PROCESSES?.trim();
	if (!raw) return 1;
	const count = Number(raw);
	if (!Number.isInteger(count) || count < 1 || count > 64)
		throw new Error(`KOMPAS_PROCESSES must be a whole number from 1 to 64, not "${raw}"`);
	return count;
}

/**
 * The board a connection's first bytes ask for: the board id of a websocket path, or null (a page,
 * or a request line not complete in `head`).
 */
export function boardOfRequest(head: Buffer): string | null {
	const end = head.indexOf('\r\n');
	if (end < 0) return null;
	const [method, target] = head.toString('latin1', 0, end).split(' ');
	if (method !== 'GET' || !target?.startsWith('/ws/')) return null;
	const path = target.split('?')[0];
	return parseRoomPath(path)?.boardId ?? null;
}

/** Which of `count` processes holds `boardId` (FNV-1a: the same on every start). */
export function processFor(boardId: string, count: number): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < boardId.length; i++) {
		hash ^= boardId.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return (hash >>> 0) % count;
}

/**
 * Stops `socket` reading from its connection at once. `pause()` does not: Node's socket reads on
 * until its buffer is full, and whatever the primary reads after the handover never reaches the
 * child (the rest of a request, its body, a websocket's first frames), which then waits for it.
 * Node has no public call for this, so it goes to the socket's handle (`_handle`, Node's TCP
 * wrapper), whose `readStop` its own `pause()` uses for sockets that read into a fixed buffer.
 */
export function stopReading(socket: Socket): void {
	const handle = (socket as unknown as { _handle?: { reading?: boolean; readStop?(): number } })
		._handle;
	if (!handle?.readStop) return;
	handle.reading = false;
	handle.readStop();
}

/** A message from the primary to a child: a connection, with the bytes already read from it. */
interface Handover {
	kompasConnection: true;
	head: Uint8Array;
}

export interface PrimaryOptions {
	count: number;
	/** The module each child runs (it calls `serveHandedConnections`). */
	entry: string;
	port: number;
	host: string;
	/** Extra environment for the children. */
	env?: NodeJS.ProcessEnv;
	log?: (line: string) => void;
}

export interface Primary {
	address: AddressInfo;
	/** The children's process ids, by index (a restarted child has a new one). */
	pids(): number[];
	/** Stops accepting, then stops every child (SIGTERM: each flushes its boards) and waits. */
	close(): Promise<void>;
}

/**
 * Starts `count` children and listens once every one of them is ready.
 * @throws (rejects) when a child exits before it is ready, or the port is taken.
 */
export async function startPrimary(options: PrimaryOptions): Promise<Primary> {
	const log = options.log ?? ((line: string) => console.log(line));
	const hub = createBusHub();
	const children: (ChildProcess | null)[] = Array.from({ length: options.count }, () => null);
	const ready: boolean[] = children.map(() => false);
	/** The wait before a child's next restart (ms); doubles while it keeps dying young. */
	const restartDelay: number[] = children.map(() => 500);
	let closing = false;
	let turn = 0;
	/**
	 * Sockets handed to a child whose send has not completed. Node sends one socket at a time and
	 * queues the next until the child acknowledges the last: a child that dies leaves its queue.
	 */
	const sending = new Map<ChildProcess, Set<Socket>>();

	function linkOf(child: ChildProcess): Link {
		return {
			send: (message) => void child.send(message as object),
			onMessage(handler) {
				child.on('message', handler);
				return () => void child.off('message', handler);
			},
			connected: () => child.connected
		};
	}

	function spawnChild(index: number): Promise<void> {
		const child = fork(options.entry, [], {
			env: { ...process.env, ...options.env, [CHILD_INDEX_ENV]: String(index) },
			serialization: 'advanced',
			stdio: 'inherit'
		});
		children[index] = child;
		const startedAt = Date.now();
		// A message to a child that is just exiting fails; its exit is handled below.
		child.on('error', (error) => log(`Kompas: proces ${index}: ${error.message}`));
		const link = linkOf(child);
		hub.attach(link);
		return new Promise((resolve, reject) => {
			child.on('message', (message) => {
				if (message === 'kompas:ready') {
					ready[index] = true;
					resolve();
				}
			});
			child.once('exit', (code, signal) => {
				hub.detach(link);
				ready[index] = false;
				// Connections still on their way to it close, so that their phones try again.
				for (const socket of sending.get(child) ?? []) socket.destroy();
				sending.delete(child);
				if (children[index] === child) children[index] = null;
				if (closing) return;
				reject(new Error(`Kompas: proces ${index} stopte bij het starten (${code ?? signal})`));
				// A child that keeps dying soon after its start is restarted less and less often.
				restartDelay[index] =
					Date.now() - startedAt < STABLE_MS
						? Math.min(MAX_RESTART_MS, restartDelay[index] * 2)
						: 1000;
				log(
					`Kompas: proces ${index} stopte (${code ?? signal}); het start over ${restartDelay[index] / 1000} s opnieuw`
				);
				setTimeout(() => {
					if (!closing) spawnChild(index).catch((error: unknown) => log(String(error)));
				}, restartDelay[index]).unref();
			});
		});
	}

	/** The child for a connection whose first bytes are `head`: the board's, else the next one. */
	function pick(head: Buffer): ChildProcess | null {
		const board = boardOfRequest(head);
		if (board !== null) {
			const index = processFor(board, options.count);
			if (ready[index]) return children[index];
		}
		for (let i = 0; i < options.count; i++) {
			const index = turn++ % options.count;
			if (ready[index]) return children[index];
		}
		return null;
	}

	function handOver(socket: Socket, head: Buffer) {
		const child = pick(head);
		if (!child) {
			socket.end(
				'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'
			);
			return;
		}
		let waiting = sending.get(child);
		if (!waiting) sending.set(child, (waiting = new Set()));
		waiting.add(socket);
		// keepOpen: this copy is closed here, once the descriptor is on its way (or failed to go).
		// Without it Node closes the copy only when the child acknowledges it, which a child that
		// dies never does: the connection would stay open, and the phone wait, for ever.
		child.send(
			{ kompasConnection: true, head } satisfies Handover,
			socket,
			{ keepOpen: true },
			() => {
				waiting.delete(socket);
				socket.destroy();
			}
		);
	}

	const server = createServer({ pauseOnConnect: true }, (socket) => {
		let head = Buffer.alloc(0);
		const timer = setTimeout(() => socket.destroy(), HEAD_TIMEOUT_MS);
		socket.on('error', () => socket.destroy());
		const onData = (chunk: Buffer) => {
			head = Buffer.concat([head, chunk]);
			if (head.indexOf('\r\n') < 0 && head.length < MAX_HEAD) return;
			clearTimeout(timer);
			socket.off('data', onData);
			socket.pause();
			stopReading(socket);
			handOver(socket, head);
		};
		socket.on('data', onData);
		socket.once('close', () => clearTimeout(timer));
		socket.resume();
	});

	try {
		await Promise.all(children.map((_, index) => spawnChild(index)));
	} catch (error) {
		closing = true;
		for (const child of children) child?.kill('SIGKILL');
		throw error;
	}
	const address = await new Promise<AddressInfo>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port, options.host, () => resolve(server.address() as AddressInfo));
	});

	let closed: Promise<void> | null = null;
	return {
		address,
		pids: () => children.map((child) => child?.pid ?? 0),
		close() {
			closed ??= (async () => {
				closing = true;
				await new Promise<void>((resolve) => server.close(() => resolve()));
				await Promise.all(
					children.map(
						(child) =>
							new Promise<void>((resolve) => {
								if (!child || child.exitCode !== null || child.signalCode !== null)
									return resolve();
								child.once('exit', () => resolve());
								child.kill('SIGTERM');
							})
					)
				);
			})();
			return closed;
		}
	};
}

/** This process's index among the children, or null when it is not a child of a primary. */
export function childIndex(env: NodeJS.ProcessEnv = process.env): number | null {
	const raw = env[CHILD_INDEX_ENV];
	return raw !== undefined && process.send ? Number(raw) : null;
}

/**
 * In a child: serves the connections the primary hands over on `server` (the HTTP server of
 * createKompasServer), then tells the primary it is ready. The child stops when the primary goes.
 */
export function serveHandedConnections(server: HttpServer, stop: () => Promise<void>): void {
	process.on('message', (message: unknown, socket?: Socket) => {
		if (!socket || typeof message !== 'object' || message === null) return;
		if (!('kompasConnection' in message)) return;
		const { head } = message as Handover;
		server.emit('connection', socket);
		// The HTTP parser reads from the socket's handle; the bytes the primary read come first.
		socket.emit('data', Buffer.from(head));
		socket.resume();
	});
	// The primary is gone (killed, crashed): nobody hands connections over any more.
	process.once('disconnect', () => void stop().finally(() => process.exit(0)));
	process.send?.('kompas:ready');
}
