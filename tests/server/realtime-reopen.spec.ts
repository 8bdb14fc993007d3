/**
 * After a session ends the board is read-only for everyone, facilitators too, until a facilitator
 * reopens the session on purpose (recorded: who, when). The server enforces it on every update.
 */
import { afterEach, expect, it } from 'vitest';
import { openApp } from './helpers/backends.ts';
import { startServer, type TestServer } from './helpers/start-server.ts';
import * as fx from './helpers/fixtures.ts';
import { client, eventually, type TestClient } from './helpers/clients.ts';
import { addCard, readCards } from '../../src/lib/board/schema/index.ts';

let server: TestServer | null = null;
const open: TestClient[] = [];
afterEach(async () => {
	for (const c of open.splice(0)) c.destroy();
	await server?.close();
	server = null;
});

const connect = (room: string, cookie: string) => {
	const c = client(server!, room, cookie);
	open.push(c);
	return c;
};
const texts = (c: TestClient) => readCards(c.doc).map((card) => card.text);
const write = (c: TestClient, text: string, author: { id: string; name: string }) =>
	addCard(c.doc, {
		kind: 'situation',
		text,
		author: { id: author.id, name: author.name, perspective: 'gemeente' }
	});

it('refuses the facilitator after the end, and accepts everyone again after a recorded reopening', async () => {
	server = await startServer();
	const board = await fx.board(server.app);
	const sessions = server.app.liveSessions;
	const room = `board/${board.boardId}`;
	const anna = await fx.participant(server.app, board, 'gemeente', 'Anna');
	await sessions.start(board.liveSessionId);

	const before = connect(room, board.facilitator.cookie);
	const watcher = connect(room, board.facilitator.cookie);
	await Promise.all([before.synced(), watcher.synced()]);
	write(before, 'voor het einde', board.facilitator);
	await eventually(() => expect(texts(watcher)).toContain('voor het einde'));

	await sessions.end(board.liveSessionId);
	await eventually(() => expect(before.doc.getMap('control').get('ended')).toBe(true));
	write(before, 'na het einde', board.facilitator);
	await eventually(() =>
		expect(before.closes).toContainEqual({
			code: 4403,
			reason: 'ended: the session has ended: reopen it to change the board'
		})
	);
	before.destroy();
	const reader = connect(room, board.facilitator.cookie);
	await reader.synced();
	expect(texts(reader)).toEqual(['voor het einde']);

	// A facilitator reopens on purpose: recorded with who and when, and the board opens again.
	const reopened = await sessions.reopen(board.liveSessionId, {
		id: board.facilitator.id,
		name: board.facilitator.name
	});
	expect(reopened.ok).toBe(true);
	await eventually(() => expect(reader.doc.getMap('control').get('ended')).toBe(false));
	expect(await sessions.reopenings(board.liveSessionId)).toEqual([
		expect.objectContaining({ userId: board.facilitator.id, userName: board.facilitator.name })
	]);
	write(reader, 'na het heropenen', board.facilitator);
	const participant = connect(room, anna.cookie);
	await participant.synced();
	write(participant, 'Anna schrijft weer', anna);
	const check = connect(room, board.facilitator.cookie);
	await eventually(() =>
		expect(texts(check).sort()).toEqual(
			['Anna schrijft weer', 'na het heropenen', 'voor het einde'].sort()
		)
	);
	expect(reader.closes).toEqual([]);
	expect(participant.closes).toEqual([]);
});

it('a board loaded after its session ended is closed, also when the end event was missed', async () => {
	server = await startServer();
	const board = await fx.board(server.app);
	// Ended behind the server's back (no event): another process's context on the same database.
	const elsewhere = await openApp(server.storage);
	await elsewhere.liveSessions.end(board.liveSessionId);
	await elsewhere.close();
	const f = connect(`board/${board.boardId}`, board.facilitator.cookie);
	await f.synced();
	await eventually(() => expect(f.doc.getMap('control').get('ended')).toBe(true));
	write(f, 'te laat', board.facilitator);
	await eventually(() => expect(f.closes.map((c) => c.code)).toContain(4403));
});
