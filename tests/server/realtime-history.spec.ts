/**
 * Kampen's two sessions on one board, with real clients: the server stamps when cards appear and
 * change and in which session a card was agreed; a second session sees "vastgesteld in bijeenkomst
 * 1" and what changed since it started; nobody but the server may write those stamps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServer, type TestServer } from './helpers/start-server.ts';
import * as fx from './helpers/fixtures.ts';
import { client, eventually, type TestClient } from './helpers/clients.ts';
import { changesSince, latestSession } from '../../src/lib/domain/history.ts';

let server: TestServer;
const open: TestClient[] = [];
const connect = (cookie: string, room: string) => {
	const c = client(server, room, cookie);
	open.push(c);
	return c;
};
const cards = (doc: Y.Doc) => doc.getMap('cards') as Y.Map<Y.Map<unknown>>;
const controlMap = (doc: Y.Doc, key: string) =>
	doc.getMap('control').get(key) as Y.Map<unknown> | undefined;

function card(id: string, words: string, who: fx.Person & { perspective: string }) {
	return new Y.Map<unknown>(
		Object.entries({
			id,
			step: 'ambition',
			kind: 'ambition',
			text: words,
			authorId: who.id,
			authorName: who.name,
			perspective: who.perspective,
			createdAt: 1,
			order: `a${id}`
		})
	);
}

beforeAll(async () => {
	server = await startServer();
});
afterAll(async () => {
	for (const c of open) c.destroy();
	await server.close();
});

describe('two sessions on one board', () => {
	it('stamps additions, changes and agreements with the server clock and the session number', async () => {
		const board = await fx.board(server.app);
		const sessions = server.app.liveSessions;
		await sessions.start(board.liveSessionId);
		const shared = `board/${board.boardId}`;
		const fac = connect(board.facilitator.cookie, shared);
		await fac.synced();
		await eventually(() =>
			expect(controlMap(fac.doc, 'sessionStarts')?.get('1')).toBeTypeOf('number')
		);

		// Session 1: the municipality and the providers write and agree an ambition.
		const gemeente = await fx.participant(server.app, board, 'gemeente');
		const g = connect(gemeente.cookie, shared);
		await g.synced();
		const before = Date.now();
		cards(g.doc).set('amb', card('amb', 'Iedereen doet mee naar vermogen', gemeente));
		cards(g.doc).set('old', card('old', 'Een tweede idee', gemeente));
		await eventually(() => {
			const stamped = cards(fac.doc).get('amb');
			expect(stamped?.get('addedAt')).toBeGreaterThanOrEqual(before);
			expect(stamped?.get('changedAt')).toBe(stamped?.get('addedAt'));
		});
		(controlMap(fac.doc, 'agreed') as Y.Map<boolean>).set('amb', true);
		await eventually(() => expect(controlMap(fac.doc, 'agreedIn')?.get('amb')).toBe(1));
		expect(controlMap(fac.doc, 'agreedAt')?.get('amb')).toBeGreaterThanOrEqual(before);
		const firstStamp = cards(fac.doc).get('old')?.get('addedAt') as number;
		await sessions.end(board.liveSessionId);
		await eventually(() => expect(fac.doc.getMap('control').get('ended')).toBe(true));
		g.destroy();
		fac.destroy();

		// Session 2, with a broader group, on the same board: a later moment on the server's clock.
		await expect.poll(() => Date.now()).toBeGreaterThan(firstStamp);
		const second = await sessions.create({
			trajectoryId: board.trajectoryId,
			themeId: board.themeId,
			title: 'Bijeenkomst 2',
			date: '2026-12-01',
			agenda: []
		});
		expect(second.boardId).toBe(board.boardId);
		await sessions.start(second.id);
		const fac2 = connect(board.facilitator.cookie, shared);
		await fac2.synced();
		await eventually(() => {
			expect(fac2.doc.getMap('control').get('ended')).toBe(false);
			expect(controlMap(fac2.doc, 'sessionStarts')?.get('2')).toBeTypeOf('number');
		});
		// What session 1 agreed is there, marked as agreed in session 1.
		expect(controlMap(fac2.doc, 'agreedIn')?.get('amb')).toBe(1);

		const professional = await fx.participant(
			server.app,
			{ ...board, liveSessionId: second.id },
			'professional'
		);
		const p = connect(professional.cookie, shared);
		await p.synced();
		cards(p.doc).set('new', card('new', 'Minder terugval in de uitkering', professional));
		(controlMap(fac2.doc, 'agreed') as Y.Map<boolean>).set('old', true);
		cards(fac2.doc).get('old')?.set('text', 'Een tweede idee, aangescherpt');
		await eventually(() => expect(controlMap(fac2.doc, 'agreedIn')?.get('old')).toBe(2));
		await eventually(() =>
			expect(cards(fac2.doc).get('old')?.get('changedAt')).toBeGreaterThan(firstStamp)
		);
		await eventually(() => expect(cards(fac2.doc).get('new')?.get('addedAt')).toBeTypeOf('number'));

		// "Wat is er veranderd sinds bijeenkomst 2", from the stored board as the overview reads it.
		await server.realtime.flush();
		const snapshot = await server.app.boards.snapshot(board.boardId, 'Thuis');
		const since = latestSession(snapshot.control);
		expect(since?.number).toBe(2);
		const changes = changesSince(snapshot, since!.startedAt);
		expect(changes.added.map((c) => c.id)).toEqual(['new']);
		expect(changes.changed.map((c) => c.id)).toEqual(['old']);
		expect(changes.agreed.map((c) => c.id)).toEqual(['old']);
		expect(snapshot.control.agreedIn).toEqual({ amb: 1, old: 2 });

		// Un-agreeing removes the stamp.
		(controlMap(fac2.doc, 'agreed') as Y.Map<boolean>).delete('old');
		await eventually(() => expect(controlMap(fac2.doc, 'agreedIn')?.has('old')).toBe(false));
	});

	it('refuses clients that write the stamps themselves', async () => {
		const board = await fx.board(server.app);
		await server.app.liveSessions.start(board.liveSessionId);
		const shared = `board/${board.boardId}`;
		const fac = connect(board.facilitator.cookie, shared);
		await fac.synced();
		fac.doc.getMap('control').set('agreedIn', new Y.Map<number>([['x', 1]]));
		await eventually(() => expect(fac.closes.some((c) => c.code === 4403)).toBe(true));
		const who = await fx.participant(server.app, board, 'inwoner');
		const p = connect(who.cookie, shared);
		await p.synced();
		// A whole new card may carry a stamp (an undo or redo brings one back), but the server
		// stamps it again at once: a device's time never stays.
		const before = Date.now();
		const forged = card('forged', 'Al heel oud', who);
		forged.set('addedAt', 1);
		cards(p.doc).set('forged', forged);
		await eventually(() =>
			expect(cards(p.doc).get('forged')?.get('addedAt')).toBeGreaterThanOrEqual(before)
		);
		// A stamp on an existing card is refused.
		cards(p.doc).get('forged')?.set('changedAt', 2);
		await eventually(() => expect(p.closes.some((c) => c.code === 4403)).toBe(true));
	});

	it("stores and sends a client's change and its stamps as one update, back to the writer too", async () => {
		const board = await fx.board(server.app);
		await server.app.liveSessions.start(board.liveSessionId);
		const shared = `board/${board.boardId}`;
		const writer = await fx.participant(server.app, board, 'aanbieder');
		const reader = await fx.participant(server.app, board, 'inwoner');
		const w = connect(writer.cookie, shared);
		const r = connect(reader.cookie, shared);
		await Promise.all([w.synced(), r.synced()]);
		cards(w.doc).set('one', card('one', 'Eerste versie', writer));
		await eventually(() => expect(cards(r.doc).get('one')?.get('changedAt')).toBeTypeOf('number'));

		// What the reader's document looks like after each update it receives from now on.
		const seen: { text: unknown; changedAt: unknown }[] = [];
		r.doc.on('update', () => {
			const record = cards(r.doc).get('one');
			seen.push({ text: record?.get('text'), changedAt: record?.get('changedAt') });
		});
		const rowsBefore = (await server.app.updates.load(shared)).updates.length;
		const before = Date.now();
		cards(w.doc).get('one')?.set('text', 'Tweede versie');
		await eventually(() => expect(seen.at(-1)?.text).toBe('Tweede versie'));
		// The first update that brought the new text brought its stamp with it.
		const first = seen.find((s) => s.text === 'Tweede versie');
		expect(first?.changedAt).toBeGreaterThanOrEqual(before);
		expect(seen.filter((s) => s.text === 'Tweede versie')).toHaveLength(1);
		// The writer gets the server's part back; the log grew by one row, not two.
		await eventually(() =>
			expect(cards(w.doc).get('one')?.get('changedAt')).toBeGreaterThanOrEqual(before)
		);
		expect((await server.app.updates.load(shared)).updates.length).toBe(rowsBefore + 1);

		// The server writes its part under one client id: more edits bring no new writers.
		const writers = () => Y.decodeStateVector(Y.encodeStateVector(r.doc)).size;
		const known = writers();
		for (const words of ['Derde versie', 'Vierde versie', 'Vijfde versie'])
			cards(w.doc).get('one')?.set('text', words);
		await eventually(() => expect(cards(r.doc).get('one')?.get('text')).toBe('Vijfde versie'));
		await eventually(() =>
			expect(cards(w.doc).get('one')?.get('changedAt')).toBe(
				cards(r.doc).get('one')?.get('changedAt')
			)
		);
		expect(writers()).toBe(known);
	});
});
