/**
 * `boardAccess` (behind GET /api/board-access/<boardId>) gives the reason for what the websocket
 * upgrade does with the same cookies: `ok` exactly when the board socket opens and stays open, and a
 * stranger learns nothing the upgrade does not tell (unknown board: 404 there, `not-found` here).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/start-server.ts';
import * as fx from './helpers/fixtures.ts';
import { raw } from './helpers/clients.ts';
import { boardAccess } from '../../src/lib/server/board-access.ts';

let server: TestServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server.close());

/** The upgrade's answer: the HTTP status, 101, or the close code when it closes right after. */
async function upgrade(boardId: string, cookie: string): Promise<number> {
	try {
		const socket = await raw(server, `/ws/board/${boardId}`, { origin: server.origin, cookie });
		// Served: the server's sync step 1 arrives; refused after the upgrade: it closes first.
		const closed = await Promise.race([
			socket.closed.then((c) => c.code),
			new Promise<number>((resolve) => {
				if (socket.messages.length > 0) resolve(101);
				else socket.ws.once('message', () => resolve(101));
			})
		]);
		socket.ws.close();
		return closed;
	} catch (refused) {
		return (refused as { status: number }).status;
	}
}

it('agrees with the websocket upgrade for every kind of visitor', async () => {
	const app = server.app;
	const board = await fx.board(app);
	const other = await fx.board(app);
	const observer = await fx.member(app, board, 'observer');
	const anna = await fx.participant(app, board);
	const bert = await fx.participant(app, board);
	await app.participants.remove(board.liveSessionId, bert.id);
	const stranger = await fx.participant(app, other);

	// An earlier session's participant, once a later session on the same board runs.
	const early = await fx.board(app);
	const carla = await fx.participant(app, early);
	const sessions = app.liveSessions;
	await sessions.end(early.liveSessionId);
	const later = await sessions.create({
		trajectoryId: early.trajectoryId,
		themeId: early.themeId,
		title: 'Later',
		date: '2026-12-01',
		agenda: []
	});
	await sessions.start(later.id);

	const cases: [string, string, string, number][] = [
		['facilitator', board.boardId, board.facilitator.cookie, 101],
		['observer', board.boardId, observer.cookie, 101],
		['participant', board.boardId, anna.cookie, 101],
		['removed participant', board.boardId, bert.cookie, 401],
		['nobody', board.boardId, '', 401],
		['expired session', board.boardId, 'kompas_session=gone', 401],
		['facilitator of another trajectory', board.boardId, other.facilitator.cookie, 403],
		["another board's participant", board.boardId, stranger.cookie, 403],
		['unknown board, nobody', 'nope.1', '', 404],
		['unknown board, facilitator', 'nope.1', board.facilitator.cookie, 404],
		['earlier session', early.boardId, carla.cookie, 4401]
	];
	const expected: Record<number, string> = { 101: 'ok', 403: 'no-access', 404: 'not-found' };
	const answers = await Promise.all(
		cases.map(async ([who, boardId, cookie]) => ({
			who,
			access: await boardAccess(app, cookie || undefined, boardId),
			upgrade: await upgrade(boardId, cookie)
		}))
	);
	expect(answers).toEqual(
		cases.map(([who, , , status]) => ({
			who,
			upgrade: status,
			access:
				who === 'removed participant'
					? 'removed'
					: who === 'earlier session'
						? 'session-ended'
						: (expected[status] ?? 'logged-out')
		}))
	);
});
