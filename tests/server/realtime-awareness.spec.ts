/**
 * Presence (awareness) with the stock y-websocket v3 provider, which re-broadcasts every awareness
 * change it receives, other people's included: those echoes must be dropped, not refused.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/start-server.ts';
import * as fx from './helpers/fixtures.ts';
import { client, eventually } from './helpers/clients.ts';

let server: TestServer;
let board: fx.BoardFixture;

beforeAll(async () => {
	server = await startServer();
	board = await fx.board(server.app);
});
afterAll(() => server.close());

it('people who come, set presence, leave and come back are never refused for the echoes', async () => {
	const room = `board/${board.boardId}`;
	const people = await Promise.all([0, 1, 2].map(() => fx.participant(server.app, board)));
	const clients = people.map((p) => client(server, room, p.cookie, { version: 'v3' }));
	await Promise.all(clients.map((c) => c.synced()));
	clients.forEach((c, i) => c.provider.awareness.setLocalState({ name: people[i].name }));
	await eventually(async () => {
		for (const c of clients) expect(c.provider.awareness.getStates().size).toBe(3);
	});
	// One leaves (its removal reaches the others, who echo it), then comes back with a new socket.
	clients[2].destroy();
	await eventually(async () => expect(clients[0].provider.awareness.getStates().size).toBe(2));
	const back = client(server, room, people[2].cookie, { version: 'v3' });
	await back.synced();
	back.provider.awareness.setLocalState({ name: people[2].name });
	await eventually(async () => {
		expect(clients[0].provider.awareness.getStates().size).toBe(3);
		expect(back.provider.awareness.getStates().size).toBe(3);
	});
	clients[1].provider.awareness.setLocalState({ name: people[1].name, step: 'outcomes' });
	await eventually(async () =>
		expect(
			[...back.provider.awareness.getStates().values()].some((s) => s.step === 'outcomes')
		).toBe(true)
	);
	for (const c of [clients[0], clients[1], back]) expect(c.closes).toEqual([]);
	for (const c of [clients[0], clients[1], back]) c.destroy();
});

it('a newcomer to a crowded board echoes everyone’s presence and stays; its own oversized state is refused', async () => {
	// A small limit stands for 300 people: together their states exceed what one person may send.
	const small = await startServer({ limits: { maxAwarenessBytes: 1500 } });
	try {
		const crowded = await fx.board(small.app);
		const room = `board/${crowded.boardId}`;
		const people = await Promise.all(
			Array.from({ length: 12 }, () => fx.participant(small.app, crowded))
		);
		const clients = people.map((p) => client(small, room, p.cookie, { version: 'v3' }));
		await Promise.all(clients.map((c) => c.synced()));
		clients.forEach((c, i) =>
			c.provider.awareness.setLocalState({ name: people[i].name, note: 'x'.repeat(150) })
		);
		await eventually(async () => {
			for (const c of clients) expect(c.provider.awareness.getStates().size).toBe(12);
		});
		// The newcomer gets all twelve states (well over 1,500 bytes) and, as stock clients do, sends
		// them all back.
		const newcomer = await fx.participant(small.app, crowded);
		const late = client(small, room, newcomer.cookie, { version: 'v3' });
		await late.synced();
		late.provider.awareness.setLocalState({ name: newcomer.name });
		await eventually(async () => {
			expect(late.provider.awareness.getStates().size).toBe(13);
			expect(clients[0].provider.awareness.getStates().size).toBe(13);
		});
		expect(late.closes).toEqual([]);
		for (const c of clients) expect(c.closes).toEqual([]);

		// What a socket says about itself still has the limit.
		late.provider.awareness.setLocalState({ name: newcomer.name, note: 'x'.repeat(2000) });
		await eventually(async () =>
			expect(late.closes).toContainEqual({ code: 4400, reason: 'awareness state too large' })
		);
		for (const c of [...clients, late]) c.destroy();
	} finally {
		await small.close();
	}
});
