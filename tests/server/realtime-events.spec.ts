/**
 * What happens over HTTP reaches the realtime server at once (app.events): access revoked, joining
 * opened or closed, a session ended (also when it ended while the server was not listening).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openApp } from './helpers/backends.ts';
import { startServer, type TestServer } from './helpers/start-server.ts';
import * as fx from './helpers/fixtures.ts';
import { client, eventually, raw } from './helpers/clients.ts';
import { deleteTrajectory } from '../../src/lib/server/boards.ts';

let server: TestServer;
let board: fx.BoardFixture;

beforeAll(async () => {
	server = await startServer();
	board = await fx.board(server.app);
});
afterAll(() => server.close());

it("accessRevoked closes that account's sockets on that trajectory with 4401", async () => {
	const observer = await fx.member(server.app, board, 'observer');
	const socket = await raw(server, `/ws/board/${board.boardId}`, {
		origin: server.origin,
		cookie: observer.cookie
	});
	const colleague = client(server, `board/${board.boardId}`, board.facilitator.cookie);
	await colleague.synced();
	server.app.events.emit('accessRevoked', {
		userId: observer.id,
		trajectoryId: board.trajectoryId
	});
	expect((await socket.closed).code).toBe(4401);
	expect(colleague.closes).toEqual([]);
	colleague.destroy();
});

it('joiningChanged is mirrored into control.joiningOpen by the server', async () => {
	const f = client(server, `board/${board.boardId}`, board.facilitator.cookie);
	await f.synced();
	await server.app.liveSessions.setJoiningOpen(board.liveSessionId, false);
	await eventually(() => expect(f.doc.getMap('control').get('joiningOpen')).toBe(false));
	await server.app.liveSessions.setJoiningOpen(board.liveSessionId, true);
	await eventually(() => expect(f.doc.getMap('control').get('joiningOpen')).toBe(true));
	f.destroy();
});

it('a participant of a session that ended while nobody listened finds the board ended', async () => {
	const other = await fx.board(server.app);
	const late = await fx.participant(server.app, other);
	// Ended behind the server's back (no event), e.g. by another process.
	const elsewhere = await openApp(server.storage);
	await elsewhere.liveSessions.end(other.liveSessionId);
	await elsewhere.close();
	const p = client(server, `board/${other.boardId}`, late.cookie);
	await p.synced();
	await eventually(() => expect(p.doc.getMap('control').get('ended')).toBe(true));
	p.destroy();
});

it("a facilitator cannot open the private room of another board's participant", async () => {
	const other = await fx.board(server.app);
	const stranger = await fx.participant(server.app, other);
	const status = await raw(server, `/ws/private/${board.boardId}/${stranger.id}`, {
		origin: server.origin,
		cookie: board.facilitator.cookie
	}).then(
		(socket) => {
			socket.ws.terminate();
			return 101;
		},
		(refused: { status: number }) => refused.status
	);
	expect(status).toBe(404);
});

it('a second session on the same board opens it again, and shuts out the first session', async () => {
	const first = await fx.board(server.app);
	const sessions = server.app.liveSessions;
	const early = await fx.participant(server.app, first);
	await sessions.start(first.liveSessionId);
	const f = client(server, `board/${first.boardId}`, first.facilitator.cookie);
	await f.synced();
	await sessions.end(first.liveSessionId);
	await eventually(() => expect(f.doc.getMap('control').get('ended')).toBe(true));

	// Kampen's pattern: the next session on the same theme board, with a broader group.
	const second = await sessions.create({
		trajectoryId: first.trajectoryId,
		themeId: first.themeId,
		title: 'Tweede bijeenkomst',
		date: '2026-11-30',
		agenda: []
	});
	expect(second.boardId).toBe(first.boardId);
	await sessions.start(second.id);
	await eventually(() => expect(f.doc.getMap('control').get('ended')).toBe(false));

	const late = await fx.participant(server.app, { ...first, liveSessionId: second.id });
	const p = client(server, `board/${first.boardId}`, late.cookie);
	await p.synced();
	expect(p.closes).toEqual([]);

	const old = await raw(server, `/ws/board/${first.boardId}`, {
		origin: server.origin,
		cookie: early.cookie
	});
	const closed = await old.closed;
	expect(closed.code).toBe(4401);
	expect(f.doc.getMap('control').get('ended')).toBe(false);
	f.destroy();
	p.destroy();
});

it('deleting a trajectory closes its sockets and its boards stay deleted', async () => {
	const doomed = await fx.board(server.app);
	const f = client(server, `board/${doomed.boardId}`, doomed.facilitator.cookie);
	await f.synced();
	f.doc.getMap('cards').set('c1', new Y.Map());
	// The theme's stored board documents, through the update store.
	const stored = async () => (await server.app.updates.list(`board/${doomed.themeId}.`)).length;
	await eventually(async () => expect(await stored()).toBeGreaterThan(0));

	// What the delete page does: close the sockets, then rows and documents in one unit of work.
	server.app.events.emit('trajectoryDeleted', { trajectoryId: doomed.trajectoryId });
	await deleteTrajectory(server.app, (await server.app.trajectories.get(doomed.trajectoryId))!);
	await eventually(() => expect(f.closes.map((c) => c.code)).toContain(4401));
	f.destroy();
	// The room unloads (and compacts) after its last client left: nothing may come back.
	await eventually(() =>
		expect(server.realtime.stats().rooms.map((r) => r.name)).not.toContain(
			`board/${doomed.boardId}`
		)
	);
	expect(await stored()).toBe(0);
});
