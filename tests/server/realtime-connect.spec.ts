/**
 * Who may connect, and the stock providers (y-websocket v3 and v2) against the real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServer, type TestServer } from './helpers/start-server.ts';
import * as fx from './helpers/fixtures.ts';
import { client, eventually, raw, updateMessage } from './helpers/clients.ts';

let server: TestServer;
let board: fx.BoardFixture;

beforeAll(async () => {
	server = await startServer();
	board = await fx.board(server.app);
});
afterAll(() => server.close());

const cardOf = (doc: Y.Doc, id: string) =>
	doc.getMap('cards').get(id) as Y.Map<unknown> | undefined;

describe('stock y-websocket providers', () => {
	it('a v3 and a v2 provider converge on one board', async () => {
		const room = `board/${board.boardId}`;
		const a = client(server, room, board.facilitator.cookie, { version: 'v3' });
		const b = client(server, room, board.facilitator.cookie, { version: 'v2' });
		await Promise.all([a.synced(), b.synced()]);
		a.doc.transact(() => {
			const card = new Y.Map<unknown>([
				['id', 'c-from-v3'],
				['text', 'van v3']
			]);
			a.doc.getMap('cards').set('c-from-v3', card);
		});
		b.doc.getMap('cards').set('c-from-v2', new Y.Map<unknown>([['text', 'van v2']]));
		await eventually(async () => {
			expect(cardOf(b.doc, 'c-from-v3')?.get('text')).toBe('van v3');
			expect(cardOf(a.doc, 'c-from-v2')?.get('text')).toBe('van v2');
		});
		expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc));
		a.destroy();
		b.destroy();
	});

	it('a late joiner receives the whole board', async () => {
		const room = `board/${board.boardId}`;
		const c = client(server, room, board.facilitator.cookie, { version: 'v2' });
		await c.synced();
		expect(cardOf(c.doc, 'c-from-v3')?.get('text')).toBe('van v3');
		c.destroy();
	});
});

describe('upgrade refusals happen before any Yjs message', () => {
	const attempt = (path: string, headers: Record<string, string>) =>
		raw(server, path, headers).then(
			(socket) => {
				socket.ws.terminate();
				return { status: 101, messages: socket.messages };
			},
			(refused: { status: number; messages: Uint8Array[] }) => refused
		);

	it('no cookie: 401', async () => {
		const result = await attempt(`/ws/board/${board.boardId}`, { origin: server.origin });
		expect(result).toEqual({ status: 401, messages: [] });
	});

	it('a cookie that cannot be decoded: 401, like no cookie', async () => {
		const result = await attempt(`/ws/board/${board.boardId}`, {
			origin: server.origin,
			cookie: 'kompas_session=%E0%A4%A; kompas_participant=%'
		});
		expect(result).toEqual({ status: 401, messages: [] });
	});

	it('a foreign Origin: 403', async () => {
		const result = await attempt(`/ws/board/${board.boardId}`, {
			origin: 'https://evil.example',
			cookie: board.facilitator.cookie
		});
		expect(result).toEqual({ status: 403, messages: [] });
	});

	it('no Origin at all: 403', async () => {
		const result = await attempt(`/ws/board/${board.boardId}`, {
			cookie: board.facilitator.cookie
		});
		expect(result.status).toBe(403);
	});

	it('an account that is no member: 403', async () => {
		const stranger = await fx.account(server.app, 'facilitator');
		const result = await attempt(`/ws/board/${board.boardId}`, {
			origin: server.origin,
			cookie: stranger.cookie
		});
		expect(result).toEqual({ status: 403, messages: [] });
	});

	it('a participant of another board: 403', async () => {
		const other = await fx.board(server.app);
		const outsider = await fx.participant(server.app, other);
		const result = await attempt(`/ws/board/${board.boardId}`, {
			origin: server.origin,
			cookie: outsider.cookie
		});
		expect(result).toEqual({ status: 403, messages: [] });
	});

	it('an unknown board or path: 404', async () => {
		for (const path of [`/ws/board/nosuchtheme.1`, '/ws/other', `/ws/board/${board.themeId}.0`]) {
			const result = await attempt(path, {
				origin: server.origin,
				cookie: board.facilitator.cookie
			});
			expect(result.status, path).toBe(404);
		}
	});

	it('private rooms: only that participant and facilitators', async () => {
		const alice = await fx.participant(server.app, board);
		const bob = await fx.participant(server.app, board);
		const observer = await fx.member(server.app, board, 'observer');
		const path = `/ws/private/${board.boardId}/${alice.id}`;
		const as = (cookie: string) => attempt(path, { origin: server.origin, cookie });
		expect((await as(bob.cookie)).status).toBe(403);
		expect((await as(observer.cookie)).status).toBe(403);
		expect((await as(alice.cookie)).status).toBe(101);
		expect((await as(board.facilitator.cookie)).status).toBe(101);
	});

	it('a removed participant is refused and their open socket closes at once', async () => {
		const carol = await fx.participant(server.app, board);
		const socket = await raw(server, `/ws/board/${board.boardId}`, {
			origin: server.origin,
			cookie: carol.cookie
		});
		await server.app.participants.remove(board.liveSessionId, carol.id);
		expect((await socket.closed).code).toBe(4401);
		const again = await attempt(`/ws/board/${board.boardId}`, {
			origin: server.origin,
			cookie: carol.cookie
		});
		expect(again.status).toBe(401);
	});
});

describe('protocol details', () => {
	it('an update that builds on changes the server lacks triggers a resync, not a refusal', async () => {
		const socket = await raw(server, `/ws/board/${board.boardId}`, {
			origin: server.origin,
			cookie: board.facilitator.cookie
		});
		// A client that made two edits; the server only hears of the second.
		const local = new Y.Doc();
		local.getMap('cards').set('lost', new Y.Map([['text', 'eerste']]));
		const before = Y.encodeStateVector(local);
		(local.getMap('cards').get('lost') as Y.Map<string>).set('text', 'tweede');
		const seen = socket.messages.length;
		socket.ws.send(updateMessage(Y.encodeStateAsUpdate(local, before)));
		// The server answers with its sync step 1 (message type 0, sub-type 0)...
		await eventually(async () =>
			expect(socket.messages.slice(seen).some((m) => m[0] === 0 && m[1] === 0)).toBe(true)
		);
		// ...and the client's full sync step 2 is applied.
		socket.ws.send(updateMessage(Y.encodeStateAsUpdate(local)));
		const check = client(server, `board/${board.boardId}`, board.facilitator.cookie);
		await eventually(async () =>
			expect((check.doc.getMap('cards').get('lost') as Y.Map<string>)?.get('text')).toBe('tweede')
		);
		expect(socket.ws.readyState).toBe(socket.ws.OPEN);
		socket.ws.terminate();
		check.destroy();
	});

	it("echoes a client's own awareness, which y-websocket counts as a sign of life", async () => {
		const a = client(server, `board/${board.boardId}`, board.facilitator.cookie);
		await a.synced();
		const received: number[] = [];
		const socket = a.provider.ws as unknown as { addEventListener(t: string, f: () => void): void };
		socket.addEventListener('message', () => received.push(Date.now()));
		a.provider.awareness.setLocalStateField('name', 'alleen');
		await eventually(async () => expect(received.length).toBeGreaterThan(0));
		a.destroy();
	});

	it('batches awareness: 30 quick cursor moves reach another client as a few messages', async () => {
		const room = `board/${board.boardId}`;
		const mover = client(server, room, board.facilitator.cookie);
		const watcher = client(server, room, board.facilitator.cookie);
		await Promise.all([mover.synced(), watcher.synced()]);
		let awarenessMessages = 0;
		const socket = watcher.provider.ws as unknown as {
			addEventListener(type: 'message', listener: (event: { data: ArrayBuffer }) => void): void;
		};
		socket.addEventListener('message', (event) => {
			if (new Uint8Array(event.data)[0] === 1) awarenessMessages++;
		});
		for (let x = 1; x <= 30; x++) mover.provider.awareness.setLocalStateField('cursor', x);
		await eventually(async () =>
			expect(
				(watcher.provider.awareness.getStates().get(mover.doc.clientID) as { cursor?: number })
					?.cursor
			).toBe(30)
		);
		expect(awarenessMessages).toBeLessThan(5);
		mover.destroy();
		watcher.destroy();
	});
});
