/**
 * Keep-alive: every socket is pinged once per interval, a slice at a time (keepalive.ts); one that
 * stops answering is cut off, the others stay.
 */
import { afterEach, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/start-server.ts';
import * as fx from './helpers/fixtures.ts';
import { eventually, raw } from './helpers/clients.ts';

let server: TestServer | null = null;
afterEach(async () => {
	await server?.close();
	server = null;
});

it('cuts off a socket that no longer answers pings, and keeps those that do', async () => {
	server = await startServer({ pingIntervalMs: 400 });
	const fixture = await fx.board(server.app);
	const people = await Promise.all(
		['Jan', 'Petra', 'Ahmed'].map((name) => fx.participant(server!.app, fixture, 'inwoner', name))
	);
	const open = (cookie: string, autoPong = true) =>
		raw(server!, `/ws/board/${fixture.boardId}`, { origin: server!.origin, cookie }, { autoPong });
	const silent = await open(people[0].cookie, false);
	const answering = await Promise.all(people.slice(1).map((p) => open(p.cookie)));
	await eventually(() => expect(server!.realtime.stats().connections).toBe(3));

	const closed = await silent.closed;
	expect(closed.code).toBe(1006); // terminated, no close handshake
	await eventually(() => expect(server!.realtime.stats().connections).toBe(2));

	// The others are pinged every interval and stay.
	const pings = await Promise.all(
		answering.map(
			(socket) =>
				new Promise<number>((resolve) => {
					let count = 0;
					socket.ws.on('ping', () => ++count === 3 && resolve(count));
				})
		)
	);
	expect(pings).toEqual([3, 3]);
	expect(answering.every((socket) => socket.ws.readyState === socket.ws.OPEN)).toBe(true);
	expect(server.realtime.stats().connections).toBe(2);
});
