/**
 * The write rules of the board schema, enforced by the server on every update: observers write
 * nothing, participants only their own records, never control, never a locked step. On every
 * backend (SQLite and PostgreSQL, helpers/backends.ts): the rules read identity and session state
 * from the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServer, type TestServer } from './helpers/start-server.ts';
import { freshStorage, SERVER_BACKENDS } from './helpers/backends.ts';
import * as fx from './helpers/fixtures.ts';
import { client, eventually, type TestClient } from './helpers/clients.ts';

let server: TestServer;
let board: fx.BoardFixture;
let room: string;
let facilitator: TestClient;
const open: TestClient[] = [];

const connect = (cookie: string, target = room) => {
	const c = client(server, target, cookie);
	open.push(c);
	return c;
};

function addCard(doc: Y.Doc, card: { id: string; step: string; authorId: string; text: string }) {
	doc.transact(() => {
		doc
			.getMap('cards')
			.set(card.id, new Y.Map<unknown>(Object.entries({ kind: 'outcome', ...card })));
	});
}
const cards = (doc: Y.Doc) => doc.getMap('cards') as Y.Map<Y.Map<unknown>>;

/** Sends a marker through `from` and waits until `to` has it: everything sent before has been judged. */
async function roundTrip(from: TestClient, to: TestClient) {
	const marker = `marker-${Math.random()}`;
	addCard(from.doc, { id: marker, step: 'ambition', authorId: 'x', text: marker });
	await eventually(() => expect(cards(to.doc).has(marker)).toBe(true));
}

/** Waits for the refusal close (4403) on `c`, then stops it from reconnecting. */
async function refused(c: TestClient) {
	await eventually(() => expect(c.closes.some((e) => e.code === 4403)).toBe(true));
	c.destroy();
}

describe.each(SERVER_BACKENDS)('the write rules (%s)', (backend) => {
	beforeAll(async () => {
		server = await startServer({ storage: await freshStorage(backend) });
		board = await fx.board(server.app);
		room = `board/${board.boardId}`;
		facilitator = connect(board.facilitator.cookie);
		await facilitator.synced();
		addCard(facilitator.doc, {
			id: 'fac-card',
			step: 'outcomes',
			authorId: board.facilitator.id,
			text: 'van de begeleider'
		});
	});
	afterAll(async () => {
		for (const c of open.splice(0)) c.destroy();
		await server.close();
	});

	describe('observers', () => {
		it('their writes are neither applied nor forwarded', async () => {
			const observer = await fx.member(server.app, board, 'observer');
			const o = connect(observer.cookie);
			await o.synced();
			expect(cards(o.doc).get('fac-card')?.get('text')).toBe('van de begeleider');
			addCard(o.doc, { id: 'obs-card', step: 'outcomes', authorId: observer.id, text: 'stiekem' });
			await refused(o);
			const check = connect(board.facilitator.cookie);
			await check.synced();
			await roundTrip(check, facilitator);
			expect(cards(facilitator.doc).has('obs-card')).toBe(false);
			expect(cards(check.doc).has('obs-card')).toBe(false);
		});
	});

	describe('participants', () => {
		it('may add and edit their own card', async () => {
			const alice = await fx.participant(server.app, board);
			const a = connect(alice.cookie);
			await a.synced();
			addCard(a.doc, { id: 'alice-1', step: 'outcomes', authorId: alice.id, text: 'eerste' });
			cards(a.doc).get('alice-1')?.set('text', 'verbeterd');
			await eventually(() =>
				expect(cards(facilitator.doc).get('alice-1')?.get('text')).toBe('verbeterd')
			);
			cards(a.doc).delete('alice-1');
			await eventually(() => expect(cards(facilitator.doc).has('alice-1')).toBe(false));
			expect(a.closes).toEqual([]);
		});

		it("cannot edit or delete another author's card", async () => {
			const bob = await fx.participant(server.app, board);
			for (const write of [
				(doc: Y.Doc) => cards(doc).get('fac-card')?.set('text', 'overschreven'),
				(doc: Y.Doc) => cards(doc).delete('fac-card'),
				(doc: Y.Doc) => cards(doc).get('fac-card')?.set('authorId', bob.id)
			]) {
				const b = connect(bob.cookie);
				await b.synced();
				write(b.doc);
				await refused(b);
			}
			await roundTrip(connect(board.facilitator.cookie), facilitator);
			expect(cards(facilitator.doc).get('fac-card')?.toJSON()).toMatchObject({
				text: 'van de begeleider',
				authorId: board.facilitator.id
			});
		});

		it("cannot create a card in someone else's name", async () => {
			const bob = await fx.participant(server.app, board);
			const b = connect(bob.cookie);
			await b.synced();
			addCard(b.doc, { id: 'fake', step: 'outcomes', authorId: board.facilitator.id, text: 'nep' });
			await refused(b);
			await roundTrip(connect(board.facilitator.cookie), facilitator);
			expect(cards(facilitator.doc).has('fake')).toBe(false);
		});

		it('cannot write control or meta', async () => {
			const bob = await fx.participant(server.app, board);
			for (const write of [
				(doc: Y.Doc) => doc.getMap('control').set('currentStep', 'reflection'),
				(doc: Y.Doc) => doc.getMap('meta').set('themeName', 'gekaapt')
			]) {
				const b = connect(bob.cookie);
				await b.synced();
				write(b.doc);
				await refused(b);
			}
			await roundTrip(connect(board.facilitator.cookie), facilitator);
			expect(facilitator.doc.getMap('control').get('currentStep')).not.toBe('reflection');
			expect(facilitator.doc.getMap('meta').get('themeName')).toBe('Thuis');
		});

		it('cannot write into a locked step, and may again once unlocked', async () => {
			const carol = await fx.participant(server.app, board);
			facilitator.doc.transact(() => {
				const locked = new Y.Map<boolean>();
				locked.set('activities', true);
				facilitator.doc.getMap('control').set('lockedSteps', locked);
			});
			const c = connect(carol.cookie);
			await c.synced();
			expect(c.doc.getMap('control').get('lockedSteps')).toBeInstanceOf(Y.Map);
			addCard(c.doc, {
				id: 'carol-locked',
				step: 'activities',
				authorId: carol.id,
				text: 'te laat'
			});
			await refused(c);
			await roundTrip(connect(board.facilitator.cookie), facilitator);
			expect(cards(facilitator.doc).has('carol-locked')).toBe(false);

			(facilitator.doc.getMap('control').get('lockedSteps') as Y.Map<boolean>).delete('activities');
			const again = connect(carol.cookie);
			await again.synced();
			await eventually(() =>
				expect((again.doc.getMap('control').get('lockedSteps') as Y.Map<boolean>).size).toBe(0)
			);
			addCard(again.doc, {
				id: 'carol-ok',
				step: 'activities',
				authorId: carol.id,
				text: 'nu wel'
			});
			await eventually(() => expect(cards(facilitator.doc).has('carol-ok')).toBe(true));
		});

		it('write nothing once the live session has ended', async () => {
			const other = await fx.board(server.app);
			const dave = await fx.participant(server.app, other);
			const d = connect(dave.cookie, `board/${other.boardId}`);
			await d.synced();
			addCard(d.doc, { id: 'dave-1', step: 'ambition', authorId: dave.id, text: 'voor het einde' });
			const f = connect(other.facilitator.cookie, `board/${other.boardId}`);
			await eventually(() => expect(cards(f.doc).has('dave-1')).toBe(true));
			await server.app.liveSessions.end(other.liveSessionId);
			await eventually(() => expect(d.doc.getMap('control').get('ended')).toBe(true));
			addCard(d.doc, { id: 'dave-2', step: 'ambition', authorId: dave.id, text: 'na het einde' });
			await refused(d);
			// (The facilitator cannot send a marker now: the ended board is read-only for them too.)
			const later = connect(other.facilitator.cookie, `board/${other.boardId}`);
			await later.synced();
			expect(cards(later.doc).has('dave-1')).toBe(true);
			expect(cards(later.doc).has('dave-2')).toBe(false);
		});
	});
});
