/**
 * Two Kompas nodes on one database (one SQLite data directory, or one PostgreSQL database:
 * helpers/backends.ts) and one real Redis (issue 12 items 3 and 7): what happens
 * on node A (a participant removed, a session ended, a trajectory deleted, failed logins) holds on
 * node B too, a login made on A is valid on B, and `/healthz` tells a load balancer when a node
 * cannot reach Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../services/services.ts';
import { startServer, type TestServer } from './helpers/start-server.ts';
import { freshStorage, SERVER_BACKENDS } from './helpers/backends.ts';
import * as fx from './helpers/fixtures.ts';
import { client, eventually, raw } from './helpers/clients.ts';
import { createRedisBus } from '../../src/lib/server/bus/bus.redis.ts';
import type { Bus } from '../../src/lib/server/bus/bus.ts';
import { deleteTrajectory } from '../../src/lib/server/boards.ts';
import { login, SESSION_COOKIE } from '../../src/lib/server/auth/index.ts';
import { CLOSE } from '../../src/lib/domain/close-codes.ts';
import { readGlossary } from '../../src/lib/board/schema/index.ts';

let redis: RedisServer;
let busA: Bus;
let busB: Bus;
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
	redis = await startRedis();
}, 60_000);
afterAll(() => redis?.stop());

describe.each(SERVER_BACKENDS)('two nodes (%s)', (backend) => {
	beforeAll(async () => {
		const storage = await freshStorage(backend);
		const quiet = { logError: () => {} };
		busA = await createRedisBus(redis.url, { nodeId: 'node-a', ...quiet });
		busB = await createRedisBus(redis.url, { nodeId: 'node-b', ...quiet });
		a = await startServer({ storage, redisUrl: redis.url, bus: busA });
		b = await startServer({ storage, redisUrl: redis.url, bus: busB });
	}, 60_000);

	afterAll(async () => {
		await a?.close();
		await b?.close();
		await busA?.close();
		await busB?.close();
	});

	/** Resolves with the HTTP status of a refused upgrade, or 101 when the socket opened. */
	const upgradeStatus = (server: TestServer, path: string, cookie: string) =>
		raw(server, path, { origin: server.origin, cookie }).then(
			(socket) => {
				socket.ws.terminate();
				return 101;
			},
			(refused: { status: number }) => refused.status
		);

	const health = async (server: TestServer) => {
		const response = await fetch(`${server.origin}/healthz`);
		return { status: response.status, body: await response.json() };
	};

	describe('app events cross the nodes', () => {
		it('a participant removed on A: their socket on B closes with 4401 and B refuses them', async () => {
			const board = await fx.board(a.app);
			const person = await fx.participant(a.app, board);
			const phone = await raw(b, `/ws/board/${board.boardId}`, {
				origin: b.origin,
				cookie: person.cookie
			});
			const colleague = client(b, `board/${board.boardId}`, board.facilitator.cookie);
			await colleague.synced();

			expect(await a.app.participants.remove(board.liveSessionId, person.id)).toBe(true);

			expect(await phone.closed).toEqual({
				code: CLOSE.unauthorized,
				reason: 'removed from the session'
			});
			expect(await upgradeStatus(b, `/ws/board/${board.boardId}`, person.cookie)).toBe(401);
			expect(colleague.closes).toEqual([]);
			colleague.destroy();
		});

		it('a session ended on A makes the board read-only on B, and a new session on A opens it again', async () => {
			const board = await fx.board(a.app);
			await a.app.liveSessions.start(board.liveSessionId);
			const facilitator = client(b, `board/${board.boardId}`, board.facilitator.cookie);
			await facilitator.synced();
			expect(facilitator.doc.getMap('control').get('ended')).not.toBe(true);

			await a.app.liveSessions.end(board.liveSessionId);
			await eventually(() => expect(facilitator.doc.getMap('control').get('ended')).toBe(true));

			const next = await a.app.liveSessions.create({
				trajectoryId: board.trajectoryId,
				themeId: board.themeId,
				title: 'Tweede bijeenkomst',
				date: '2026-11-30',
				agenda: []
			});
			await a.app.liveSessions.start(next.id);
			await eventually(() => expect(facilitator.doc.getMap('control').get('ended')).toBe(false));
			facilitator.destroy();
		});

		it('joining closed on A is mirrored on B', async () => {
			const board = await fx.board(a.app);
			const facilitator = client(b, `board/${board.boardId}`, board.facilitator.cookie);
			await facilitator.synced();
			await a.app.liveSessions.setJoiningOpen(board.liveSessionId, false);
			await eventually(() =>
				expect(facilitator.doc.getMap('control').get('joiningOpen')).toBe(false)
			);
			await a.app.liveSessions.setJoiningOpen(board.liveSessionId, true);
			await eventually(() =>
				expect(facilitator.doc.getMap('control').get('joiningOpen')).toBe(true)
			);
			facilitator.destroy();
		});

		it('access revoked on A closes that account on B', async () => {
			const board = await fx.board(a.app);
			const observer = await fx.member(a.app, board, 'observer');
			const socket = await raw(b, `/ws/board/${board.boardId}`, {
				origin: b.origin,
				cookie: observer.cookie
			});
			await a.app.trajectories.members.remove(board.trajectoryId, observer.id);
			a.app.events.emit('accessRevoked', { userId: observer.id, trajectoryId: board.trajectoryId });
			expect((await socket.closed).code).toBe(CLOSE.unauthorized);
			expect(await upgradeStatus(b, `/ws/board/${board.boardId}`, observer.cookie)).toBe(403);
		});

		it('a trajectory deleted on A closes its sockets on B, and nothing of its boards is kept', async () => {
			const board = await fx.board(a.app);
			const facilitator = client(b, `board/${board.boardId}`, board.facilitator.cookie);
			await facilitator.synced();
			const person = await fx.participant(a.app, board);
			const phone = await raw(b, `/ws/board/${board.boardId}`, {
				origin: b.origin,
				cookie: person.cookie
			});

			// What the delete page does on A.
			a.app.events.emit('trajectoryDeleted', { trajectoryId: board.trajectoryId });
			await deleteTrajectory(a.app, (await a.app.trajectories.get(board.trajectoryId))!);

			expect((await phone.closed).code).toBe(CLOSE.unauthorized);
			await eventually(() => expect(facilitator.closes.map((c) => c.code)).toContain(4401));
			facilitator.destroy();
			await eventually(() =>
				expect(b.realtime.stats().rooms.map((r) => r.name)).not.toContain(`board/${board.boardId}`)
			);
			expect(await a.app.updates.list(`board/${board.themeId}.`)).toEqual([]);
		});

		it('a glossary changed on A reaches the board loaded on B', async () => {
			const board = await fx.board(a.app);
			const facilitator = client(b, `board/${board.boardId}`, board.facilitator.cookie);
			await facilitator.synced();
			// What the trajectory page does on A.
			await a.app.trajectories.glossary.add(board.trajectoryId, {
				term: 'eigen kracht',
				definition: ''
			});
			a.app.events.emit('glossaryChanged', { trajectoryId: board.trajectoryId });
			await eventually(() =>
				expect(readGlossary(facilitator.doc).map((t) => t.term)).toEqual(['eigen kracht'])
			);
			facilitator.destroy();
		});

		it('an event lost while Redis was down is made good when the bus is back', async () => {
			const board = await fx.board(a.app);
			const person = await fx.participant(a.app, board);
			const phone = await raw(b, `/ws/board/${board.boardId}`, {
				origin: b.origin,
				cookie: person.cookie
			});
			await redis.halt();
			// Removed on A while no event can reach B.
			expect(await a.app.participants.remove(board.liveSessionId, person.id)).toBe(true);
			await redis.resume();
			// B's bus subscribes again and checks its open sockets against the database.
			expect(await phone.closed).toMatchObject({ code: CLOSE.unauthorized });
			await waitForHealth(a, 200);
			await waitForHealth(b, 200);
		}, 60_000);
	});

	async function waitForHealth(server: TestServer, status: number) {
		await expect.poll(async () => (await health(server)).status, { timeout: 20_000 }).toBe(status);
	}

	describe('logins across the nodes', () => {
		const password = 'correct horse battery staple';

		it('a login made on A is valid on B (its websocket and its session)', async () => {
			const person = await fx.account(a.app, 'facilitator');
			const user = (await a.app.users.byId(person.id))!;
			const board = await fx.board(a.app);
			await a.app.trajectories.members.add(board.trajectoryId, person.id, 'facilitator');
			const result = await login(a.app, {
				email: user.email,
				password,
				ip: '198.51.100.1',
				userAgent: 'test'
			});
			expect(result.ok).toBe(true);
			const token = result.ok ? result.token : '';
			expect((await b.app.sessions.validate(token))?.user.id).toBe(person.id);
			const cookie = `${SESSION_COOKIE}=${token}`;
			const facilitator = client(b, `board/${board.boardId}`, cookie);
			await facilitator.synced();
			expect(facilitator.closes).toEqual([]);
			facilitator.destroy();
		});

		it('failed logins on A and B add up to one limit per account', async () => {
			const person = await fx.account(a.app, 'facilitator');
			const { email } = (await a.app.users.byId(person.id))!;
			const attempt = (server: TestServer, pass: string, ip: string) =>
				login(server.app, { email, password: pass, ip, userAgent: 'test' });
			for (const [server, ip] of [
				[a, '198.51.100.10'],
				[b, '198.51.100.11'],
				[a, '198.51.100.12'],
				[b, '198.51.100.13'],
				[a, '198.51.100.14']
			] as const)
				expect(await attempt(server, 'wrong', ip)).toEqual({ ok: false, reason: 'invalid' });
			// Five failures, spread over two nodes and five addresses: the right password is refused too.
			expect(await attempt(b, password, '198.51.100.15')).toMatchObject({
				ok: false,
				reason: 'rate-limited'
			});
			expect(await attempt(a, password, '198.51.100.16')).toMatchObject({
				ok: false,
				reason: 'rate-limited'
			});
		});

		it('while Redis is down each node limits on its own: nobody is let in unlimited, nobody locked out', async () => {
			const person = await fx.account(a.app, 'facilitator');
			const other = await fx.account(a.app, 'facilitator');
			const email = (await a.app.users.byId(person.id))!.email;
			const otherEmail = (await a.app.users.byId(other.id))!.email;
			await redis.halt();
			try {
				for (let i = 0; i < 5; i++)
					expect(
						await login(b.app, { email, password: 'wrong', ip: '203.0.113.1', userAgent: 't' })
					).toEqual({ ok: false, reason: 'invalid' });
				expect(
					await login(b.app, { email, password, ip: '203.0.113.1', userAgent: 't' })
				).toMatchObject({ ok: false, reason: 'rate-limited' });
				// Another account logs in fine meanwhile (sessions are in the database, not in Redis).
				expect(
					(await login(a.app, { email: otherEmail, password, ip: '203.0.113.2', userAgent: 't' }))
						.ok
				).toBe(true);
			} finally {
				await redis.resume();
			}
			await waitForHealth(a, 200);
		}, 60_000);
	});

	describe('/healthz', () => {
		it('answers 200 with the database and Redis, 503 naming Redis while it is down', async () => {
			expect(await health(a)).toEqual({
				status: 200,
				body: { status: 'ok', database: 'ok', redis: 'ok' }
			});
			await redis.halt();
			try {
				await waitForHealth(b, 503);
				expect((await health(b)).body).toEqual({
					status: 'unavailable',
					database: 'ok',
					redis: 'unavailable'
				});
			} finally {
				await redis.resume();
			}
			await waitForHealth(a, 200);
			await waitForHealth(b, 200);
		}, 60_000);

		it('says "not configured" on a single node, and 503 naming the database once it is closed', async () => {
			const solo = await startServer({ storage: await freshStorage(backend) });
			expect(await health(solo)).toEqual({
				status: 200,
				body: { status: 'ok', database: 'ok', redis: 'not configured' }
			});
			await solo.app.close();
			expect(await health(solo)).toEqual({
				status: 503,
				body: { status: 'unavailable', database: 'unavailable', redis: 'not configured' }
			});
			await solo.kompas.close().catch(() => {});
		});
	});
});
