/**
 * The realtime server on async repositories (issue 12: Kysely on SQLite or PostgreSQL): every read
 * of identity, session state, glossary and client owners answers in a later macrotask
 * (helpers/deferred.ts), some of them slower than others, and the server still
 * - loads a board once for clients that connect to it at the same moment, and hands it out only
 *   when it is loaded (its glossary seeded, its theme's name written), so both share one room;
 * - writes the live glossary back in the order it was changed, even when the first write is the
 *   slower one;
 * - counts a person's sockets after the identity check, so parallel upgrades cannot pass the cap;
 * - sends an update to the other sockets only once the store has it, however slow the store is,
 *   and answers a newcomer's first sync only once everything in that answer is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readGlossary, readMeta, updateTerm } from '../../src/lib/board/schema/index.ts';
import { startServer, type TestServer } from './helpers/start-server.ts';
import * as fx from './helpers/fixtures.ts';
import { client, eventually, raw, type TestClient } from './helpers/clients.ts';
import { createMemoryStore } from '../../server/realtime/index.ts';

let server: TestServer;
const open: TestClient[] = [];
const connect = (cookie: string, room: string) => {
	const c = client(server, room, cookie);
	open.push(c);
	return c;
};
const cards = (doc: Y.Doc) => doc.getMap('cards') as Y.Map<Y.Map<unknown>>;
function addCard(doc: Y.Doc, card: { id: string; step: string; authorId: string; text: string }) {
	doc.transact(() => {
		cards(doc).set(card.id, new Y.Map<unknown>(Object.entries({ kind: 'outcome', ...card })));
	});
}

/** Runs once when the server starts reading a glossary (a board is loading). */
let onGlossaryRead: (() => void) | null = null;

beforeAll(async () => {
	server = await startServer({
		limits: { maxSocketsPerParticipant: 2 },
		deferred: (path, call) => {
			// The board's load reads the glossary slowly: another client arrives meanwhile.
			if (path === 'trajectories.glossary.list') {
				onGlossaryRead?.();
				onGlossaryRead = null;
				return 60;
			}
			// The first write-back of a term takes longer than the second.
			if (path === 'trajectories.glossary.saveTerm') return call === 0 ? 150 : 0;
			return 1;
		}
	});
});
afterAll(async () => {
	for (const c of open) c.destroy();
	await server.close();
});

describe('the realtime server on async repositories', () => {
	it('gives clients that connect at once to an unloaded board, or while it loads, one loaded room', async () => {
		const board = await fx.board(server.app);
		const room = `board/${board.boardId}`;
		const termId = (
			await server.app.trajectories.glossary.add(board.trajectoryId, {
				term: 'preventie',
				definition: ''
			})
		).id;
		const alice = await fx.participant(server.app, board, 'inwoner', 'Alice');
		const bram = await fx.participant(server.app, board, 'aanbieder', 'Bram');
		// Bram connects once the board's load has begun reading its glossary.
		const late = new Promise<TestClient>((resolve) => {
			onGlossaryRead = () => resolve(connect(bram.cookie, room));
		});
		const facilitator = connect(board.facilitator.cookie, room);
		const phone = connect(alice.cookie, room);
		const clients = [facilitator, phone, await late];
		// What each client has at its first sync is the loaded board: nothing went out before.
		const atSync = await Promise.all(
			clients.map(async (c) => {
				await c.synced();
				return { terms: readGlossary(c.doc).map((t) => t.id), meta: readMeta(c.doc) };
			})
		);
		for (const seen of atSync) {
			expect(seen.terms).toEqual([termId]);
			expect(seen.meta).toMatchObject({ boardId: board.boardId, themeName: 'Thuis' });
		}
		const rooms = server.realtime.stats().rooms.filter((r) => r.name === room);
		expect(rooms).toHaveLength(1);
		expect(rooms[0].connections).toBe(3);

		addCard(facilitator.doc, {
			id: 'van-begeleider',
			step: 'outcomes',
			authorId: board.facilitator.id,
			text: 'van de begeleider'
		});
		addCard(phone.doc, {
			id: 'van-alice',
			step: 'outcomes',
			authorId: alice.id,
			text: 'van Alice'
		});
		for (const c of clients)
			await eventually(async () => {
				expect(cards(c.doc).has('van-begeleider')).toBe(true);
				expect(cards(c.doc).has('van-alice')).toBe(true);
			});
		for (const c of clients) expect(c.closes).toEqual([]);
	});

	it('writes two quick edits of a term back in order: the database ends with the second', async () => {
		const board = await fx.board(server.app);
		const termId = (
			await server.app.trajectories.glossary.add(board.trajectoryId, {
				term: 'eigen kracht',
				definition: ''
			})
		).id;
		const facilitator = connect(board.facilitator.cookie, `board/${board.boardId}`);
		await facilitator.synced();
		const changed: string[] = [];
		const off = server.app.events.on('glossaryChanged', ({ trajectoryId }) =>
			changed.push(trajectoryId)
		);
		updateTerm(facilitator.doc, termId, { meaning: 'Eerst zo.' });
		updateTerm(facilitator.doc, termId, { meaning: 'Toch zo.' });
		await eventually(async () => expect(changed).toHaveLength(2));
		await server.realtime.settled();
		off();
		expect((await server.app.trajectories.glossary.list(board.trajectoryId))[0].meaning).toBe(
			'Toch zo.'
		);
	});

	it("counts a person's sockets after the identity check: parallel upgrades do not pass the cap", async () => {
		const board = await fx.board(server.app);
		const bram = await fx.participant(server.app, board, 'aanbieder', 'Bram');
		const headers = { cookie: bram.cookie, origin: server.origin };
		const attempts = await Promise.allSettled(
			[1, 2, 3, 4].map(() => raw(server, `/ws/board/${board.boardId}`, headers))
		);
		const opened = attempts.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
		const refused = attempts.flatMap((a) =>
			a.status === 'rejected' ? [(a.reason as { status: number }).status] : []
		);
		expect(opened).toHaveLength(2);
		expect(refused).toEqual([429, 429]);
		for (const { ws } of opened) ws.close();
	});

	it('sends an update to the other sockets, and a newcomer its first sync, only once the append has settled', async () => {
		// A store whose appends wait until the test lets them through (a slow network database).
		const memory = createMemoryStore();
		let held: (() => void)[] = [];
		const slow = {
			...memory,
			// Every append is a round trip: nothing is stored at once.
			appendNow: undefined,
			append: async (docName: string, update: Uint8Array) => {
				await new Promise<void>((resolve) => held.push(resolve));
				await memory.append(docName, update);
			}
		};
		const own = await startServer({ store: slow });
		try {
			const board = await fx.board(own.app);
			const room = `board/${board.boardId}`;
			const a = client(own, room, board.facilitator.cookie);
			const b = client(own, room, board.facilitator.cookie);
			open.push(a, b);
			// The board's load writes its defaults: let those through.
			const release = () => {
				const waiting = held;
				held = [];
				for (const resolve of waiting) resolve();
			};
			const loading = setInterval(release, 5);
			await Promise.all([a.synced(), b.synced()]);
			clearInterval(loading);
			release();
			await own.realtime.flush();

			addCard(a.doc, { id: 'eerst-bewaard', step: 'outcomes', authorId: 'x', text: 'bewaard' });
			await eventually(() => expect(held).toHaveLength(1));
			// Presence is not stored: once B sees A's, sent after the card, the card would be there
			// too had the server sent it before storing it. Applied on the server, not stored: B lacks it.
			a.provider.awareness.setLocalStateField('cursor', 1);
			await eventually(() =>
				expect(b.provider.awareness.getStates().get(a.doc.clientID)).toMatchObject({ cursor: 1 })
			);
			expect(cards(b.doc).has('eerst-bewaard')).toBe(false);
			// A newcomer's first sync is an answer from the document as it is: it waits for the
			// append too. C sends its sync request before its presence, so once B sees C's presence
			// the server has read that request.
			const c = client(own, room, board.facilitator.cookie);
			open.push(c);
			c.provider.awareness.setLocalStateField('cursor', 3);
			await eventually(() =>
				expect(b.provider.awareness.getStates().get(c.doc.clientID)).toMatchObject({ cursor: 3 })
			);
			expect(cards(c.doc).has('eerst-bewaard')).toBe(false);
			expect(c.provider.synced).toBe(false);
			release();
			await eventually(() => expect(cards(b.doc).has('eerst-bewaard')).toBe(true));
			await c.synced();
			expect(cards(c.doc).has('eerst-bewaard')).toBe(true);
			const stored = new Y.Doc();
			for (const update of (await memory.load(room)).updates) Y.applyUpdate(stored, update);
			expect(cards(stored).has('eerst-bewaard')).toBe(true);
		} finally {
			const closing = setInterval(() => held.splice(0).forEach((resolve) => resolve()), 5);
			await own.close();
			clearInterval(closing);
		}
	});
});
