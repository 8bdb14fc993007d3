/**
 * A venue's Wi-Fi: everyone behind one public address. 400 participants, each with the board and
 * their private document open, all connect from 127.0.0.1 and stay connected; caps are counted
 * per identity, not per address.
 */
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { startServer, type TestServer } from './helpers/start-server.ts';
import * as fx from './helpers/fixtures.ts';
import { client, eventually, raw, type RawSocket } from './helpers/clients.ts';

let server: TestServer | null = null;
afterEach(async () => {
	await server?.close();
	server = null;
});

/** Whether a received message is a sync update (type 0, sync message type 2). */
const isUpdate = (message: Uint8Array) => {
	const decoder = decoding.createDecoder(message);
	return decoding.readVarUint(decoder) === 0 && decoding.readVarUint(decoder) === 2;
};

it('keeps 400 participants with two sockets each, all from one address, connected', async () => {
	// Keep-alive every 1.5 s: the 800 sockets answer from this same process, so a shorter round would
	// measure how busy the test machine is rather than whether the server keeps them.
	server = await startServer({ pingIntervalMs: 1500 });
	const fixture = await fx.board(server.app);
	const people = await Promise.all(
		Array.from({ length: 400 }, (_, i) =>
			fx.participant(server!.app, fixture, 'inwoner', `Deelnemer ${i}`)
		)
	);
	const headers = (cookie: string) => ({ origin: server!.origin, cookie });
	const boards: RawSocket[] = [];
	const privates: RawSocket[] = [];
	// In batches, as people arrive: 50 at a time.
	for (let i = 0; i < people.length; i += 50) {
		const batch = people.slice(i, i + 50);
		const opened = await Promise.all(
			batch.flatMap((p) => [
				raw(server!, `/ws/board/${fixture.boardId}`, headers(p.cookie)),
				raw(server!, `/ws/private/${fixture.boardId}/${p.id}`, headers(p.cookie))
			])
		);
		opened.forEach((socket, j) => (j % 2 === 0 ? boards : privates).push(socket));
	}
	expect(boards).toHaveLength(400);
	expect(privates).toHaveLength(400);
	const closed: { code: number; reason: string }[] = [];
	for (const socket of [...boards, ...privates]) void socket.closed.then((c) => closed.push(c));

	await eventually(() => expect(server!.realtime.stats().connections).toBe(800), 20_000);
	// Several keep-alive rounds later (every socket answers its pings), everyone is still there.
	const pinged = await new Promise<number>((resolve) => {
		let pings = 0;
		boards[0].ws.on('ping', () => ++pings === 3 && resolve(pings));
	});
	expect(pinged).toBe(3);
	expect(closed).toEqual([]);
	expect(server.realtime.stats().connections).toBe(800);

	// And they are live: a facilitator's card reaches every board socket.
	const facilitator = client(server, `board/${fixture.boardId}`, fixture.facilitator.cookie);
	await facilitator.synced();
	const before = boards.map((b) => b.messages.length);
	facilitator.doc.getMap('cards').set('welkom', new Y.Map([['text', 'Welkom allemaal']]));
	await eventually(
		() =>
			expect(boards.filter((b, i) => b.messages.slice(before[i]).some(isUpdate)).length).toBe(400),
		20_000
	);
	expect(closed).toEqual([]);
	facilitator.destroy();
	for (const socket of [...boards, ...privates]) socket.ws.close();
}, 120_000);

it('caps sockets per participant, not per address', async () => {
	server = await startServer({ limits: { maxSocketsPerParticipant: 2 } });
	const fixture = await fx.board(server.app);
	const a = await fx.participant(server.app, fixture);
	const b = await fx.participant(server.app, fixture);
	const open = (cookie: string) =>
		raw(server!, `/ws/board/${fixture.boardId}`, { origin: server!.origin, cookie }).then(
			(socket) => socket,
			(refused: { status: number }) => refused.status
		);
	const first = [await open(a.cookie), await open(a.cookie)];
	expect(first.every((s) => typeof s !== 'number')).toBe(true);
	expect(await open(a.cookie)).toBe(429);
	// Someone else from the same address is not affected.
	const other = await open(b.cookie);
	expect(typeof other).not.toBe('number');
	for (const s of [...first, other]) if (typeof s !== 'number') s.ws.close();
});
