/**
 * Robustness: malformed, truncated, oversized and random messages close only the socket that sent
 * them, never the process, while honest clients keep editing and converge.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { startServer, type TestServer } from './helpers/start-server.ts';
import * as fx from './helpers/fixtures.ts';
import { client, eventually, raw, updateMessage, type TestClient } from './helpers/clients.ts';

let server: TestServer;
let board: fx.BoardFixture;

beforeAll(async () => {
	server = await startServer({ limits: { maxPayload: 64 * 1024 } });
	board = await fx.board(server.app);
});
afterAll(() => server.close());

/** A deterministic pseudo-random generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
	return () => {
		seed |= 0;
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function bytes(next: () => number, length: number): Uint8Array {
	const out = new Uint8Array(length);
	for (let i = 0; i < length; i++) out[i] = Math.floor(next() * 256);
	return out;
}

/** A real update (a card) of a scratch doc, to truncate and flip. */
function realUpdate(authorId: string, n: number): Uint8Array {
	const doc = new Y.Doc();
	doc.getMap('cards').set(
		`x${n}`,
		new Y.Map<unknown>([
			['authorId', authorId],
			['text', 'x'.repeat(n % 50)]
		])
	);
	return Y.encodeStateAsUpdate(doc);
}

function message(kind: number, payload: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, kind);
	encoding.writeVarUint8Array(encoder, payload);
	return encoding.toUint8Array(encoder);
}

/** One hostile message of a kind chosen by `next`; `asFacilitator` avoids well-formed updates. */
function hostile(next: () => number, i: number, asFacilitator: boolean): Uint8Array | string {
	const kind = Math.floor(next() * 10);
	const valid = updateMessage(realUpdate('someone-else', i));
	switch (kind) {
		case 0: {
			const noise = bytes(next, 1 + Math.floor(next() * 300));
			if (asFacilitator && noise[0] === 0) noise[0] = 7;
			return noise;
		}
		case 1:
			return valid.subarray(0, 1 + Math.floor(next() * (valid.length - 2))); // truncated
		case 2:
			return new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
		case 3: {
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, 1);
			const inner = encoding.createEncoder();
			encoding.writeVarUint(inner, 1);
			encoding.writeVarUint(inner, 12345);
			encoding.writeVarUint(inner, 1);
			encoding.writeVarString(inner, '{not json');
			encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner));
			return encoding.toUint8Array(encoder); // awareness with broken JSON
		}
		case 4:
			return message(0, bytes(next, 20)).map((b, j) => (j === 1 ? 0 : b)); // step 1, junk vector
		case 5:
			return `text frame ${i}`;
		case 6:
			if (asFacilitator) return new Uint8Array([9, 9, 9]);
			return updateMessage(bytes(next, 1 + Math.floor(next() * 200))); // junk update
		case 7: {
			if (asFacilitator) return new Uint8Array([0, 5, 1, 0]);
			const flipped = valid.slice();
			flipped[2 + Math.floor(next() * (flipped.length - 2))] ^= 1 << Math.floor(next() * 8);
			return flipped;
		}
		case 8:
			return i % 25 === 0 ? new Uint8Array(65 * 1024) : new Uint8Array([]); // oversized, empty
		default:
			return new Uint8Array([0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f]); // length beyond the message
	}
}

it('1,000+ hostile messages close only their sockets while honest clients converge', async () => {
	const room = `board/${board.boardId}`;
	const honest: TestClient[] = [
		client(server, room, board.facilitator.cookie),
		client(server, room, board.facilitator.cookie, { version: 'v2' })
	];
	await Promise.all(honest.map((c) => c.synced()));
	const written: string[] = [];
	let typing = true;
	const editing = honest.map(async (c, n) => {
		for (let i = 0; typing; i++) {
			const id = `h${n}-${i}`;
			c.doc.getMap('cards').set(id, new Y.Map([['text', id]]));
			written.push(id);
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
	});

	const attackers = [
		{ cookie: (await fx.participant(server.app, board)).cookie, facilitator: false },
		{ cookie: (await fx.member(server.app, board, 'observer')).cookie, facilitator: false },
		{ cookie: board.facilitator.cookie, facilitator: true }
	];
	const codes = new Map<number, number>();
	let sent = 0;
	const TOTAL = 1200;
	const lanes = 12;
	await Promise.all(
		Array.from({ length: lanes }, async (_, lane) => {
			const next = random(lane + 1);
			const who = attackers[lane % attackers.length];
			let socket = await raw(server, `/ws/${room}`, { origin: server.origin, cookie: who.cookie });
			for (let i = lane; i < TOTAL; i += lanes) {
				if (socket.ws.readyState !== socket.ws.OPEN)
					socket = await raw(server, `/ws/${room}`, { origin: server.origin, cookie: who.cookie });
				const data = hostile(next, i, who.facilitator);
				socket.ws.send(data, { binary: typeof data !== 'string' });
				sent++;
				// Wait until the server has judged it: either it closed the socket or answers a ping.
				await Promise.race([
					socket.closed.then(({ code }) => codes.set(code, (codes.get(code) ?? 0) + 1)),
					new Promise<void>((resolve) =>
						socket.ws.ping(undefined, undefined, () => resolve())
					).then(() => new Promise<void>((resolve) => socket.ws.once('pong', () => resolve())))
				]);
			}
			socket.ws.terminate();
		})
	);
	expect(sent).toBeGreaterThanOrEqual(1000);
	// Every kind of refusal came with its own close code; nothing crashed.
	expect([...codes.keys()].every((code) => [1009, 4400, 4403, 4413, 4429].includes(code))).toBe(
		true
	);
	expect(codes.get(4400)).toBeGreaterThan(100);
	expect(codes.get(1009)).toBeGreaterThan(0);

	typing = false;
	await Promise.all(editing);
	await eventually(async () => {
		for (const c of honest) expect(c.doc.getMap('cards').size).toBe(written.length);
	}, 10_000);
	for (const c of honest) expect(c.closes).toEqual([]);
	expect(written.length).toBeGreaterThan(20);
	const health = await fetch(`${server.origin}/health`);
	expect(health.status).toBe(200);
	for (const c of honest) c.destroy();
}, 120_000);
