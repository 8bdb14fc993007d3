/**
 * Several processes on one machine (KOMPAS_PROCESSES, server/processes.ts; issue 10 item 3): the
 * real primary (helpers/serve.ts) forks two children on one SQLite file. Stock y-websocket clients
 * connect to the primary's port only. A board's sockets all land on the process its id hashes to:
 * killing that process drops that board's phones and no other board's, and once the primary has
 * started it again they reconnect to it and find everything that was stored. A board held by both
 * children (sockets that came in as page requests, kept alive, and then upgraded) still works:
 * its updates cross the children's bus through the primary. Phones that arrive while a process is
 * gone or starting again all get in, and 300 that arrive at once are each handed over whole.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { processFor } from '../../server/processes.ts';
import { spawnServer } from './helpers/spawn.ts';
import * as fx from './helpers/fixtures.ts';
import { client, eventually, type TestClient } from './helpers/clients.ts';
import { freshStorage, openApp } from './helpers/backends.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const cards = (c: TestClient) => c.doc.getMap('cards') as Y.Map<Y.Map<unknown>>;
const addCard = (c: TestClient, id: string) => cards(c).set(id, new Y.Map<unknown>([['text', id]]));
const connected = (c: TestClient) => c.provider.wsconnected;

/**
 * A connection to `port` that has served one page request (`/health`), so the primary placed it
 * like a page (children in turn), not by a board; kept alive for a websocket upgrade after it.
 */
function servedPage(port: number): Promise<Socket> {
	return new Promise((resolve, reject) => {
		const socket = connect(port, '127.0.0.1', () =>
			socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
		);
		let answer = '';
		const read = (chunk: Buffer) => {
			answer += chunk.toString('latin1');
			// The whole answer: chunked, so the body ends with the last chunk.
			if (!answer.includes('{"ok":true}') || !answer.endsWith('0\r\n\r\n')) return;
			socket.off('data', read);
			resolve(socket);
		};
		socket.on('data', read).once('error', reject);
	});
}

/**
 * A fresh SQLite data folder with its app (for fixtures), and the real primary with two children
 * on it; `phone` connects a stock client to a board through the primary's port.
 */
async function twoProcesses() {
	const storage = await freshStorage('sqlite');
	const app = await openApp(storage);
	cleanups.push(() => app.close());
	const server = await spawnServer(storage.dataDir, 0, { KOMPAS_PROCESSES: '2' });
	cleanups.push(async () => {
		server.child.kill('SIGTERM');
		await server.exited;
	});
	const via = {
		wsUrl: `ws://127.0.0.1:${server.port}/ws`,
		origin: `http://127.0.0.1:${server.port}`
	};
	const phone = (board: fx.BoardFixture, options?: Parameters<typeof client>[3]) => {
		const c = client(via, `board/${board.boardId}`, board.facilitator.cookie, options);
		cleanups.push(() => c.destroy());
		return c;
	};
	return { app, server, phone };
}

describe('two processes behind one port', () => {
	it('keeps each board on one process: a crash drops only its boards, which come back whole', async () => {
		const { app, server, phone } = await twoProcesses();
		// Two boards that hash to different processes (the hash is fixed, the ids are random).
		const first = await fx.board(app);
		let second = await fx.board(app);
		while (processFor(second.boardId, 2) === processFor(first.boardId, 2))
			second = await fx.board(app);
		expect(server.pids).toHaveLength(2);
		const [a1, a2, b1, b2] = [phone(first), phone(first), phone(second), phone(second)];
		await Promise.all([a1, a2, b1, b2].map((c) => c.synced()));
		for (let i = 0; i < 20; i++) {
			addCard(a1, `a${i}`);
			addCard(b1, `b${i}`);
		}
		await eventually(() => {
			expect(cards(a2).size).toBe(20);
			expect(cards(b2).size).toBe(20);
		});

		// The first board's process dies.
		const victim = server.pids![processFor(first.boardId, 2)];
		process.kill(victim, 'SIGKILL');
		await eventually(() => expect([connected(a1), connected(a2)]).toEqual([false, false]));
		// The other board's phones never noticed, and its edits still go round.
		expect([connected(b1), connected(b2)]).toEqual([true, true]);
		expect(b1.closes).toEqual([]);
		addCard(b2, 'na-de-crash');
		await eventually(() => expect(cards(b1).has('na-de-crash')).toBe(true));

		// The primary starts the process again; the board's phones reconnect and miss nothing.
		await eventually(() => expect([connected(a1), connected(a2)]).toEqual([true, true]), 20_000);
		addCard(a2, 'terug');
		await eventually(() => expect(cards(a1).has('terug')).toBe(true), 10_000);
		const fresh = phone(first);
		await fresh.synced();
		expect(cards(fresh).size).toBe(21);
	}, 60_000);

	it('lets in every phone that arrives while a crashed process is gone or starting again', async () => {
		const { app, server, phone } = await twoProcesses();
		const board = await fx.board(app);
		const [writer, reader] = [phone(board), phone(board)];
		await Promise.all([writer.synced(), reader.synced()]);
		for (let i = 0; i < 5; i++) addCard(writer, `kaart-${i}`);
		// Another phone has them, so they are stored.
		await eventually(() => expect(cards(reader).size).toBe(5));

		// The board's process dies. Phones keep arriving, one every 150 ms for 3 s: while it is gone
		// (the primary hands them to the other process), while it starts again (1 s later) and once
		// it is back. Each arrival is the scenario, not a wait for something.
		process.kill(server.pids![processFor(board.boardId, 2)], 'SIGKILL');
		const arrivals: TestClient[] = [];
		for (let i = 0; i < 20; i++) {
			arrivals.push(phone(board));
			await new Promise((resolve) => setTimeout(resolve, 150));
		}
		// Every one of them gets the whole board: none waits on a connection that nobody serves, or
		// on a first message the primary read and nobody received.
		await eventually(() => {
			for (const c of [writer, reader, ...arrivals]) {
				expect(c.provider.synced).toBe(true);
				expect(cards(c).size).toBe(5);
			}
		}, 20_000);
	}, 60_000);

	it('hands 300 phones that arrive at once to their boards, and drops none', async () => {
		const { app, phone } = await twoProcesses();
		const boards: fx.BoardFixture[] = [];
		for (let i = 0; i < 10; i++) boards.push(await fx.board(app));
		// Ten workshops of 30 start at the same moment: the primary hands 300 sockets over at once,
		// many of them queued behind the one before (Node sends one socket per child at a time).
		const rooms = boards.map((board) => Array.from({ length: 30 }, () => phone(board)));
		await Promise.all(rooms.flat().map((c) => c.synced()));
		for (const [first] of rooms) addCard(first, 'welkom');
		await eventually(() => {
			for (const c of rooms.flat()) expect(cards(c).has('welkom')).toBe(true);
		}, 15_000);
		// Every phone kept the connection it was handed: none was closed and had to try again.
		expect(rooms.flat().filter((c) => c.closes.length > 0).length).toBe(0);
	}, 60_000);

	it('serves a board held by both children: its updates cross their bus through the primary', async () => {
		const { app, server, phone } = await twoProcesses();
		const board = await fx.board(app);
		// Two page connections in a row land on the two children; each then upgrades to the board.
		const kept = [await servedPage(server.port), await servedPage(server.port)];
		const open = (socket?: Socket) => {
			let first: Socket | undefined = socket;
			return phone(board, {
				connection: () => {
					const use = first;
					first = undefined;
					return use;
				}
			});
		};
		const [onFirst, onSecond, placed] = [open(kept[0]), open(kept[1]), open()];
		await Promise.all([onFirst, onSecond, placed].map((c) => c.synced()));
		for (let i = 0; i < 10; i++) {
			addCard(onFirst, `eerste-${i}`);
			addCard(onSecond, `tweede-${i}`);
		}
		await eventually(() => {
			for (const c of [onFirst, onSecond, placed]) expect(cards(c).size).toBe(20);
		});
		// Each stayed on the socket it was given: no reconnect made the test pass on one child.
		expect([onFirst, onSecond, placed].map((c) => c.closes)).toEqual([[], [], []]);
	}, 30_000);
});
