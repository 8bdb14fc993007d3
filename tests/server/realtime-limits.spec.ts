/**
 * Limits: board size, messages per second per socket, refused (unauthenticated) upgrades per IP.
 */
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServer, type TestServer } from './helpers/start-server.ts';
import * as fx from './helpers/fixtures.ts';
import { client, eventually, raw, updateMessage } from './helpers/clients.ts';

let server: TestServer | null = null;
afterEach(async () => {
	await server?.close();
	server = null;
});

it('refuses updates beyond the board size limit with 4413', async () => {
	server = await startServer({ limits: { maxDocBytes: 20_000 } });
	const board = await fx.board(server.app);
	const room = `board/${board.boardId}`;
	const a = client(server, room, board.facilitator.cookie);
	await a.synced();
	a.doc.getMap('cards').set('small', new Y.Map([['text', 'klein']]));
	// 60 cards of 400 characters in one update: every field fits, the board does not.
	a.doc.transact(() => {
		for (let i = 0; i < 60; i++)
			a.doc.getMap('cards').set(`huge-${i}`, new Y.Map([['text', 'x'.repeat(400)]]));
	});
	await eventually(async () => expect(a.closes.some((c) => c.code === 4413)).toBe(true));
	a.destroy();
	const b = client(server, room, board.facilitator.cookie);
	await b.synced();
	expect(b.doc.getMap('cards').has('small')).toBe(true);
	expect(b.doc.getMap('cards').has('huge-0')).toBe(false);
	b.destroy();
});

it('closes a socket that sends too many messages per second with 4429, and only that one', async () => {
	server = await startServer({ limits: { messagesPerSecond: 5, messageBurst: 10 } });
	const board = await fx.board(server.app);
	const room = `board/${board.boardId}`;
	const calm = client(server, room, board.facilitator.cookie);
	await calm.synced();
	const flood = await raw(server, `/ws/${room}`, {
		origin: server.origin,
		cookie: board.facilitator.cookie
	});
	const doc = new Y.Doc();
	doc.on('update', (update: Uint8Array) => flood.ws.send(updateMessage(update)));
	for (let i = 0; i < 50; i++) doc.getMap('cards').set(`f${i}`, new Y.Map([['text', `${i}`]]));
	expect((await flood.closed).code).toBe(4429);
	calm.doc.getMap('cards').set('calm', new Y.Map([['text', 'rustig']]));
	const check = client(server, room, board.facilitator.cookie);
	await eventually(async () => expect(check.doc.getMap('cards').has('calm')).toBe(true));
	expect(calm.closes).toEqual([]);
	calm.destroy();
	check.destroy();
});

it('answers 429 to an address after too many refused upgrades', async () => {
	server = await startServer({ limits: { maxFailedUpgradesPerIpPerMinute: 5 } });
	const board = await fx.board(server.app);
	const statuses: number[] = [];
	for (let i = 0; i < 8; i++)
		statuses.push(
			await raw(server!, `/ws/board/${board.boardId}`, { origin: server!.origin }).then(
				() => 101,
				(refused: { status: number }) => refused.status
			)
		);
	expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
	// Someone who authenticates is not held back by others on the same address (a venue's Wi-Fi).
	const status = await raw(server, `/ws/board/${board.boardId}`, {
		origin: server.origin,
		cookie: board.facilitator.cookie
	}).then(
		(socket) => (socket.ws.close(), 101),
		(refused: { status: number }) => refused.status
	);
	expect(status).toBe(101);
	const stranger = await raw(server, `/ws/board/${board.boardId}`, {
		origin: server.origin,
		cookie: 'kompas_session=forged'
	}).then(
		() => 101,
		(refused: { status: number }) => refused.status
	);
	expect(stranger).toBe(429);
});

it('refuses an oversized awareness state (it would be broadcast to everyone)', async () => {
	server = await startServer();
	const board = await fx.board(server.app);
	const room = `board/${board.boardId}`;
	const big = client(server, room, board.facilitator.cookie);
	await big.synced();
	big.provider.awareness.setLocalStateField('note', 'x'.repeat(20_000));
	await eventually(async () => expect(big.closes.some((c) => c.code === 4400)).toBe(true));
	big.destroy();
});
