/**
 * Nothing typed is lost: the log reaches the database, survives SIGKILL, is compacted, and a board
 * leaves memory once its last client is gone and its writes are stored. The crashes run on every
 * backend (SQLite and PostgreSQL, helpers/backends.ts); the room's lifecycle on SQLite.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { AppContext } from '../../src/lib/server/context.ts';
import { startServer, type TestServer } from './helpers/start-server.ts';
import { freshStorage, openApp, SERVER_BACKENDS } from './helpers/backends.ts';
import { spawnServer } from './helpers/spawn.ts';
import * as fx from './helpers/fixtures.ts';
import { client, eventually, type TestClient } from './helpers/clients.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The document as stored, read through `app`'s own connection. */
async function storedDoc(app: AppContext, docName: string): Promise<Y.Doc> {
	const { updates } = await app.updates.load(docName);
	const doc = new Y.Doc();
	for (const update of updates) Y.applyUpdate(doc, update);
	return doc;
}
/** The rows stored for `docName` (a snapshot counts as one), through the update store. */
const rowsOf = async (app: AppContext, docName: string) =>
	(await app.updates.load(docName)).updates.length;

describe('room lifecycle', () => {
	it('unloads a board after its last client left, with every write stored and compacted', async () => {
		const server: TestServer = await startServer({ compactAfter: 10 });
		cleanups.push(() => server.close());
		const board = await fx.board(server.app);
		const room = `board/${board.boardId}`;
		const a = client(server, room, board.facilitator.cookie);
		const b = client(server, room, board.facilitator.cookie, { version: 'v2' });
		await Promise.all([a.synced(), b.synced()]);
		for (let i = 0; i < 40; i++) a.doc.getMap('cards').set(`a-${i}`, new Y.Map([['text', `${i}`]]));
		await eventually(() => expect(b.doc.getMap('cards').size).toBe(40));
		expect(server.realtime.stats().rooms.map((r) => r.name)).toContain(room);

		a.destroy();
		b.destroy();
		await eventually(() =>
			expect(server.realtime.stats().rooms.map((r) => r.name)).not.toContain(room)
		);
		expect(await rowsOf(server.app, room)).toBe(1); // one snapshot after unload
		const stored = await storedDoc(server.app, room);
		expect(stored.getMap('cards').size).toBe(40);

		// Back in: loaded from the store.
		const c = client(server, room, board.facilitator.cookie);
		await c.synced();
		expect(c.doc.getMap('cards').size).toBe(40);
		c.destroy();
	});

	it('by default an update is in SQLite before another client receives it', async () => {
		const server: TestServer = await startServer();
		cleanups.push(() => server.close());
		const board = await fx.board(server.app);
		const room = `board/${board.boardId}`;
		const a = client(server, room, board.facilitator.cookie);
		const b = client(server, room, board.facilitator.cookie);
		cleanups.push(() => [a, b].forEach((c) => c.destroy()));
		await Promise.all([a.synced(), b.synced()]);
		// Read the database the moment B receives each update (both SQLite drivers read synchronously).
		const snapshots: Promise<Y.Doc>[] = [];
		b.doc.on('update', (_update: Uint8Array, origin: unknown) => {
			if (origin === b.provider) snapshots.push(storedDoc(server.app, room));
		});
		for (let i = 0; i < 20; i++) a.doc.getMap('cards').set(`w${i}`, new Y.Map([['text', `${i}`]]));
		await eventually(() => expect(b.doc.getMap('cards').size).toBe(20));
		expect(snapshots.length).toBeGreaterThanOrEqual(20);
		const seen = await Promise.all(snapshots);
		// Whatever B had received at each moment was already stored.
		for (const [n, stored] of seen.entries())
			expect(stored.getMap('cards').size, `update ${n}`).toBeGreaterThanOrEqual(
				Math.min(20, n + 1)
			);
	});

	it('SIGTERM-style close stores what is pending', async () => {
		const storage = await freshStorage('sqlite');
		const server = await startServer({ storage, flushDelayMs: 10_000 });
		const board = await fx.board(server.app);
		const room = `board/${board.boardId}`;
		const a = client(server, room, board.facilitator.cookie);
		const b = client(server, room, board.facilitator.cookie);
		await Promise.all([a.synced(), b.synced()]);
		a.doc.getMap('cards').set('late', new Y.Map([['text', 'net op tijd']]));
		await eventually(() => expect(b.doc.getMap('cards').has('late')).toBe(true));
		// Applied and forwarded, but not yet stored (the batch waits 10 s)...
		expect((await storedDoc(server.app, room)).getMap('cards').has('late')).toBe(false);
		a.destroy();
		b.destroy();
		// ...until the shutdown flushes it.
		await server.close();
		const app = await openApp(storage);
		cleanups.push(() => app.close());
		const stored = await storedDoc(app, room);
		expect((stored.getMap('cards').get('late') as Y.Map<string>).get('text')).toBe('net op tijd');
	});
});

describe.each(SERVER_BACKENDS)('crash (%s)', (backend) => {
	it('SIGTERM stores what is still waiting in the batch before the process exits', async () => {
		const storage = await freshStorage(backend);
		const app = await openApp(storage);
		cleanups.push(() => app.close());
		const board = await fx.board(app);
		const room = `board/${board.boardId}`;
		const server = await spawnServer(storage.dataDir, 0, {
			...storage.env,
			FLUSH_DELAY_MS: '60000'
		});
		cleanups.push(() => server.child.kill('SIGKILL'));
		const endpoint = {
			wsUrl: `ws://127.0.0.1:${server.port}/ws`,
			origin: `http://127.0.0.1:${server.port}`
		};
		const a = client(endpoint, room, board.facilitator.cookie);
		const b = client(endpoint, room, board.facilitator.cookie);
		cleanups.push(() => [a, b].forEach((c) => c.destroy()));
		await Promise.all([a.synced(), b.synced()]);
		a.doc.getMap('cards').set('bewaard', new Y.Map([['text', 'bij het afsluiten']]));
		await eventually(() => expect(b.doc.getMap('cards').has('bewaard')).toBe(true));
		expect((await storedDoc(app, room)).getMap('cards').has('bewaard')).toBe(false);
		server.child.kill('SIGTERM');
		expect(await server.exited).toEqual({ code: 0, signal: null });
		expect((await storedDoc(app, room)).getMap('cards').has('bewaard')).toBe(true);
	});

	it('SIGKILL while three clients edit: after restart every edit is on every client and in the database', async () => {
		const storage = await freshStorage(backend);
		const app = await openApp(storage);
		cleanups.push(() => app.close());
		const board = await fx.board(app);
		const room = `board/${board.boardId}`;

		let server = await spawnServer(storage.dataDir, 0, storage.env);
		const port = server.port;
		cleanups.push(() => server.child.kill('SIGKILL'));
		const endpoint = { wsUrl: `ws://127.0.0.1:${port}/ws`, origin: `http://127.0.0.1:${port}` };
		const clients: TestClient[] = ['v3', 'v2', 'v3'].map((version) =>
			client(endpoint, room, board.facilitator.cookie, { version: version as 'v3' | 'v2' })
		);
		cleanups.push(() => clients.forEach((c) => c.destroy()));
		await Promise.all(clients.map((c) => c.synced()));

		const written: string[] = [];
		let typing = true;
		const loops = clients.map(async (c, n) => {
			for (let i = 0; typing; i++) {
				const id = `c${n}-${i}`;
				c.doc.getMap('cards').set(id, new Y.Map([['text', id]]));
				written.push(id);
				await new Promise((r) => setTimeout(r, 5));
			}
		});

		await eventually(() => expect(written.length).toBeGreaterThan(150));
		server.child.kill('SIGKILL');
		await server.exited;
		await eventually(() => expect(clients.every((c) => !c.provider.wsconnected)).toBe(true));
		await new Promise((r) => setTimeout(r, 100)); // some edits while the server is down
		server = await spawnServer(storage.dataDir, port, storage.env);
		await eventually(() => expect(written.length).toBeGreaterThan(400), 10_000);
		typing = false;
		await Promise.all(loops);

		await eventually(() => {
			for (const c of clients) expect(c.doc.getMap('cards').size).toBe(written.length);
		}, 15_000);
		await eventually(async () => {
			const stored = await storedDoc(app, room);
			const ids = new Set(stored.getMap('cards').keys());
			expect(written.filter((id) => !ids.has(id))).toEqual([]);
		}, 10_000);
	}, 60_000);
});
