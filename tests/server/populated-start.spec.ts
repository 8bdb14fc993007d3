/**
 * Kompas starts on its own data. On a populated database (the Kampen demo, the imported Kampen
 * "werk" trajectory and a board of 300 cards) the server starts, serves every board to real
 * clients, stops cleanly on SIGTERM, starts again and serves them again.
 *
 * The server runs as a process of its own, as in production, with a 1 MB young generation so that
 * the garbage collector runs many times during the test. A SQLite driver whose statements cannot
 * be collected safely fails here: better-sqlite3 12 on Node 24 aborted with SIGABRT
 * (`RemoveEnvironmentCleanupHook`) as soon as a collected statement was finalised.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCards } from '../../src/lib/board/schema/index.ts';
import { SESSION_COOKIE } from '../../src/lib/server/auth/index.ts';
import { createAppContext } from '../../src/lib/server/context.ts';
import { client } from './helpers/clients.ts';
import { BUSY_BOARD_CARDS, populate, type Populated } from './helpers/populate.ts';
import { spawnServer, type ServerProcess } from './helpers/spawn.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'kompas-populated-'));
let populated: Populated;
let cookie: string;
let running: ServerProcess | undefined;

beforeAll(async () => {
	const app = await createAppContext({ dataDir, secureCookies: false, origin: null });
	try {
		populated = await populate(app);
		const user = await app.users.byEmail(populated.email);
		if (!user) throw new Error('the demo facilitator is missing');
		cookie = `${SESSION_COOKIE}=${(await app.sessions.create(user.id, 'test')).token}`;
	} finally {
		await app.close();
	}
});

afterAll(() => {
	running?.child.kill('SIGKILL');
	rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the server on the data folder, with frequent garbage collection. */
const start = () => spawnServer(dataDir, 0, {}, ['--max-semi-space-size=1']);

/** Every populated board, `rounds` times over: each client must receive all its cards. */
async function serveEveryBoard(server: ServerProcess, rounds: number) {
	const endpoint = {
		wsUrl: `ws://127.0.0.1:${server.port}/ws`,
		origin: `http://127.0.0.1:${server.port}`
	};
	for (let round = 0; round < rounds; round++)
		for (const board of populated.boards) {
			const reader = client(endpoint, `board/${board.boardId}`, cookie);
			try {
				await reader.synced();
				expect(readCards(reader.doc)).toHaveLength(board.cards);
			} finally {
				reader.destroy();
			}
		}
}

describe('a start on a populated database', () => {
	it('has the demo, an imported trajectory and a busy board to start on', () => {
		expect(populated.boards[0].cards).toBe(BUSY_BOARD_CARDS);
		expect(populated.boards.length).toBeGreaterThanOrEqual(2);
		expect(populated.boards.slice(1).some((b) => b.cards > 5)).toBe(true);
	});

	it('serves its boards, stops cleanly, starts again and serves them again', async () => {
		for (const run of ['first start', 'restart']) {
			running = await start();
			await serveEveryBoard(running, 4);
			running.child.kill('SIGTERM');
			expect({ run, ...(await running.exited) }).toEqual({ run, code: 0, signal: null });
			running = undefined;
		}
	}, 120_000);
});
