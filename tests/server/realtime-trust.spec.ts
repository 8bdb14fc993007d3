/**
 * Trust what participants write (issue 9): the three attacks a raw Yjs client with a real
 * participant cookie got through before, now refused or harmless, and the quotas and bylines that
 * keep one person from spoiling a board for everyone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addCard,
	mergeCards,
	readCard,
	updateCard,
	type Author
} from '../../src/lib/board/schema/index.ts';
import { refusalOf } from '../../src/lib/domain/close-codes.ts';
import { startServer, type TestServer } from './helpers/start-server.ts';
import * as fx from './helpers/fixtures.ts';
import {
	client,
	eventually,
	raw,
	updateMessage,
	type RawSocket,
	type TestClient
} from './helpers/clients.ts';

let server: TestServer | null = null;
const open: TestClient[] = [];
afterEach(async () => {
	for (const c of open.splice(0)) c.destroy();
	await server?.close();
	server = null;
});

async function setup(options: Parameters<typeof startServer>[0] = {}) {
	server = await startServer(options);
	const board = await fx.board(server.app);
	return { server, board, room: `board/${board.boardId}` };
}

function connect(s: TestServer, room: string, cookie: string): TestClient {
	const c = client(s, room, cookie);
	open.push(c);
	return c;
}

const authorOf = (p: { id: string; name: string; perspective: Author['perspective'] }): Author => ({
	id: p.id,
	name: p.name,
	perspective: p.perspective
});
const cards = (doc: Y.Doc) => doc.getMap('cards') as Y.Map<Y.Map<unknown>>;

/** Waits for the socket's refusal and returns its reason's kind and text. */
async function refusal(c: TestClient, code = 4403) {
	await eventually(() => expect(c.closes.some((e) => e.code === code)).toBe(true));
	const close = c.closes.find((e) => e.code === code)!;
	c.destroy();
	return { kind: refusalOf(close.reason), reason: close.reason };
}

/**
 * A crafted client on a raw socket: it keeps its own document and sends only the updates it makes
 * (no sync), like the attack script did.
 */
async function crafted(s: TestServer, room: string, cookie: string, doc: Y.Doc) {
	const socket: RawSocket = await raw(s, `/ws/${room}`, { origin: s.origin, cookie });
	return {
		socket,
		/** Writes with `write` and sends that update alone. */
		send(write: (doc: Y.Doc) => void) {
			const before = Y.encodeStateVector(doc);
			write(doc);
			socket.ws.send(updateMessage(Y.encodeStateAsUpdate(doc, before)));
		}
	};
}

/** Everything sent before has been judged: a marker written by `from` reached `to`. */
async function roundTrip(from: TestClient, to: TestClient, author: Author) {
	const id = addCard(from.doc, { kind: 'ambition', text: `marker ${Math.random()}`, author });
	await eventually(() => expect(cards(to.doc).has(id)).toBe(true));
}

describe('the three attacks', () => {
	it('a card of 200,000 characters is refused, and neither stored nor sent to anyone', async () => {
		const { server, board, room } = await setup();
		const mallory = await fx.participant(server.app, board, 'inwoner');
		const honest = await fx.participant(server.app, board, 'aanbieder');
		const watcher = connect(server, room, honest.cookie);
		await watcher.synced();

		const attacker = connect(server, room, mallory.cookie);
		await attacker.synced();
		attacker.doc.transact(() => {
			const record = new Y.Map<unknown>();
			cards(attacker.doc).set('huge-card', record);
			for (const [key, value] of Object.entries({
				id: 'huge-card',
				step: 'ambition',
				kind: 'ambition',
				text: 'x'.repeat(200_000),
				authorId: mallory.id,
				authorName: mallory.name,
				perspective: mallory.perspective,
				createdAt: 1,
				order: 'a0'
			}))
				record.set(key, value);
		});
		const { kind, reason } = await refusal(attacker);
		expect(kind).toBe('field');
		expect(reason).toContain('cards.text');

		const fac = connect(server, room, board.facilitator.cookie);
		await fac.synced();
		await roundTrip(fac, watcher, authorOf({ ...honest, name: 'x' }));
		expect(cards(watcher.doc).has('huge-card')).toBe(false);
		expect(cards(fac.doc).has('huge-card')).toBe(false);
		expect(watcher.closes).toEqual([]);
		await server.realtime.flush();
		const { updates } = await server.app.updates.load(room);
		expect(Math.max(...updates.map((u) => u.byteLength))).toBeLessThan(10_000);
	});

	it("a spoofed byline and a made-up co-author are refused; a facilitator's merge lists co-authors", async () => {
		const { server, board, room } = await setup();
		const alice = await fx.participant(server.app, board, 'gemeente', 'Alice Gemeente');
		const mallory = await fx.participant(server.app, board, 'inwoner', 'Mallory');
		const watcher = connect(server, room, alice.cookie);
		await watcher.synced();

		const spoofs: Record<string, unknown>[] = [
			{ authorName: alice.name },
			{ perspective: alice.perspective },
			{ authorName: alice.name, perspective: alice.perspective },
			{ coAuthors: 'De Burgemeester' }
		];
		const kinds: (string | null)[] = [];
		for (const [i, spoof] of spoofs.entries()) {
			const attacker = connect(server, room, mallory.cookie);
			await attacker.synced();
			attacker.doc.transact(() => {
				const id = addCard(attacker.doc, {
					id: `spoof-${i}-card`,
					kind: 'ambition',
					text: 'Namens de gemeente: alles moet anders',
					author: authorOf(mallory)
				});
				for (const [key, value] of Object.entries(spoof))
					cards(attacker.doc)
						.get(id)!
						.set(key, value as string);
			});
			kinds.push((await refusal(attacker)).kind);
		}
		expect(kinds).toEqual(['byline', 'byline', 'byline', 'rule']);

		// Her own card under her own name goes through; a merge by the facilitator adds co-authors.
		const honest = connect(server, room, mallory.cookie);
		await honest.synced();
		const mine = addCard(honest.doc, { kind: 'ambition', text: 'Werk', author: authorOf(mallory) });
		const hers = addCard(watcher.doc, { kind: 'ambition', text: 'Werk!', author: authorOf(alice) });
		const fac = connect(server, room, board.facilitator.cookie);
		await eventually(() => expect(cards(fac.doc).has(mine) && cards(fac.doc).has(hers)).toBe(true));
		mergeCards(fac.doc, hers, [mine]);
		await eventually(() => expect(readCard(watcher.doc, hers)?.coAuthors).toEqual(['Mallory']));
		for (let i = 0; i < spoofs.length; i++)
			expect(cards(watcher.doc).has(`spoof-${i}-card`)).toBe(false);
		expect(readCard(watcher.doc, mine)).toMatchObject({
			authorName: 'Mallory',
			perspective: 'inwoner',
			mergedInto: hers
		});
		expect(honest.closes).toEqual([]);
	});

	it('40 overwrites of 1 MB are refused one by one; the facilitator and an honest participant go on', async () => {
		const { server, board, room } = await setup();
		const mallory = await fx.participant(server.app, board);
		const honest = await fx.participant(server.app, board, 'professional');
		const fac = connect(server, room, board.facilitator.cookie);
		const projector = connect(server, room, board.facilitator.cookie);
		await Promise.all([fac.synced(), projector.synced()]);

		const mine = new Y.Doc();
		const first = await crafted(server, room, mallory.cookie, mine);
		let cardId = '';
		first.send((d) => {
			cardId = addCard(d, { kind: 'ambition', text: 'van mij', author: authorOf(mallory) });
		});
		await eventually(() => expect(cards(fac.doc).has(cardId)).toBe(true));
		const reasons: string[] = [];
		for (let i = 0; i < 40; i++) {
			// One overwrite per socket, one socket after the other: far under every rate limit. Each
			// starts from what the server has (a copy with a new client id), as a refused one is gone.
			const copy = new Y.Doc();
			Y.applyUpdate(copy, Y.encodeStateAsUpdate(mine));
			const attempt = await crafted(server, room, mallory.cookie, copy);
			attempt.send((d) => cards(d).get(cardId)!.set('text', `${i}`.padEnd(1_000_000, 'x')));
			reasons.push((await attempt.socket.closed).reason);
		}
		first.socket.ws.close();
		expect(reasons.map(refusalOf)).toEqual(Array(40).fill('field'));

		// The facilitator's next edit and an honest participant's new card both go through.
		cards(fac.doc).get(cardId)!.set('text', 'opgeruimd door de begeleider');
		const h = connect(server, room, honest.cookie);
		await h.synced();
		const honestCard = addCard(h.doc, {
			kind: 'situation',
			text: 'Acht jongeren op de leerwerkplaats',
			author: authorOf(honest)
		});
		await eventually(() => {
			expect(cards(projector.doc).has(honestCard)).toBe(true);
			expect(cards(projector.doc).get(cardId)?.get('text')).toBe('opgeruimd door de begeleider');
		});
		for (const c of [fac, projector, h]) expect(c.closes).toEqual([]);
		const [stats] = server.realtime.stats().rooms.filter((r) => r.name === room);
		expect(stats.bytes).toBeLessThan(50_000);
	});
});

describe('size and quotas count what is there', () => {
	it('rewriting one card many times fills the history, not the board', async () => {
		const { server, board, room } = await setup({
			limits: { maxDocBytes: 60_000, textPerMinute: 10_000_000 }
		});
		const writer = await fx.participant(server.app, board);
		const other = await fx.participant(server.app, board, 'gemeente');
		const w = connect(server, room, writer.cookie);
		await w.synced();
		const id = addCard(w.doc, { kind: 'ambition', text: 'begin', author: authorOf(writer) });
		const o = connect(server, room, other.cookie);
		await o.synced();
		// 200 rewrites of 480 characters: about 110 KB of updates, almost twice the limit. In rounds
		// of 40, each waiting for the last to arrive: under the per-socket message burst.
		for (let round = 0; round < 5; round++) {
			for (let i = round * 40; i < round * 40 + 40; i++)
				cards(w.doc).get(id)!.set('text', `${i} `.padEnd(480, 'y'));
			const last = `${round * 40 + 39} `;
			await eventually(
				() => expect(cards(o.doc).get(id)?.get('text')).toMatch(new RegExp(`^${last}`)),
				15_000
			);
		}
		const card = addCard(o.doc, { kind: 'ambition', text: 'nog een', author: authorOf(other) });
		const fac = connect(server, room, board.facilitator.cookie);
		await eventually(() => expect(cards(fac.doc).has(card)).toBe(true));
		expect(w.closes).toEqual([]);
		expect(o.closes).toEqual([]);
		// The log was compacted once it held far more than the board.
		await eventually(() => {
			const [stats] = server.realtime.stats().rooms.filter((r) => r.name === room);
			expect(stats.bytes).toBeLessThan(60_000);
		}, 15_000);
	});

	it('a flood of rewrites stops only the writer (quota-rate); others go on', async () => {
		const { server, board, room } = await setup({ limits: { textPerMinute: 5_000 } });
		const mallory = await fx.participant(server.app, board);
		const other = await fx.participant(server.app, board, 'gemeente');
		const m = connect(server, room, mallory.cookie);
		await m.synced();
		const id = addCard(m.doc, { kind: 'ambition', text: 'begin', author: authorOf(mallory) });
		for (let i = 0; i < 20; i++) cards(m.doc).get(id)!.set('text', `${i} `.padEnd(480, 'z'));
		const { kind } = await refusal(m);
		expect(kind).toBe('quota-rate');
		const o = connect(server, room, other.cookie);
		await o.synced();
		const card = addCard(o.doc, { kind: 'ambition', text: 'gewoon', author: authorOf(other) });
		const fac = connect(server, room, board.facilitator.cookie);
		await eventually(() => expect(cards(fac.doc).has(card)).toBe(true));
		expect(o.closes).toEqual([]);
	});

	it('the card quota refuses only that participant, who may delete and write again', async () => {
		const { server, board, room } = await setup({ limits: { maxRecordsPerPerson: 3 } });
		const busy = await fx.participant(server.app, board);
		const other = await fx.participant(server.app, board, 'gemeente');
		const b = connect(server, room, busy.cookie);
		await b.synced();
		const ids = ['een', 'twee', 'drie'].map((text) =>
			addCard(b.doc, { kind: 'ambition', text, author: authorOf(busy) })
		);
		const fac = connect(server, room, board.facilitator.cookie);
		await eventually(() => expect(ids.every((id) => cards(fac.doc).has(id))).toBe(true));
		addCard(b.doc, { kind: 'ambition', text: 'vier', author: authorOf(busy) });
		expect((await refusal(b)).kind).toBe('quota-cards');

		const o = connect(server, room, other.cookie);
		await o.synced();
		const theirs = addCard(o.doc, {
			kind: 'ambition',
			text: 'van een ander',
			author: authorOf(other)
		});
		await eventually(() => expect(cards(fac.doc).has(theirs)).toBe(true));

		const again = connect(server, room, busy.cookie);
		await again.synced();
		cards(again.doc).delete(ids[0]);
		const fourth = addCard(again.doc, { kind: 'ambition', text: 'vier', author: authorOf(busy) });
		await eventually(() => expect(cards(fac.doc).has(fourth)).toBe(true));
		expect(again.closes).toEqual([]);
	});

	it('near the size limit participants are refused, the facilitator still adds and removes', async () => {
		const { server, board, room } = await setup({ limits: { maxDocBytes: 40_000 } });
		const fac = connect(server, room, board.facilitator.cookie);
		await fac.synced();
		const facAuthor: Author = { id: board.facilitator.id, name: 'Fleur', perspective: null };
		// The facilitator fills the board to between 90 % and 100 % of the limit.
		const filled: string[] = [];
		let size = Y.encodeStateAsUpdate(fac.doc).byteLength;
		while (size < 37_500) {
			const id = addCard(fac.doc, { kind: 'ambition', text: 'v'.repeat(480), author: facAuthor });
			filled.push(id);
			// The server stamps each new card (history.ts): count the board as the server holds it.
			await eventually(() => expect(cards(fac.doc).get(id)?.get('changedAt')).toBeTypeOf('number'));
			size = Y.encodeStateAsUpdate(fac.doc).byteLength;
		}
		const late = await fx.participant(server.app, board);
		const p = connect(server, room, late.cookie);
		await p.synced();
		await eventually(() => expect(cards(p.doc).size).toBe(filled.length));
		addCard(p.doc, { kind: 'ambition', text: 'past niet meer', author: authorOf(late) });
		expect((await refusal(p, 4413)).kind).toBe('board-full');

		const extra = addCard(fac.doc, { kind: 'ambition', text: 'wel', author: facAuthor });
		const check = connect(server, room, board.facilitator.cookie);
		await eventually(() => expect(cards(check.doc).has(extra)).toBe(true));
		fac.doc.transact(() => {
			for (const id of filled.slice(0, 10)) cards(fac.doc).delete(id);
		});
		await eventually(() => expect(cards(check.doc).has(filled[0])).toBe(false));
		expect(fac.closes).toEqual([]);
	});
});

describe('presence and client ids the server vouches for', () => {
	it('nobody appears in the presence list under someone else’s name', async () => {
		const { server, board, room } = await setup();
		const mallory = await fx.participant(server.app, board, 'inwoner', 'Mallory');
		const alice = await fx.participant(server.app, board, 'gemeente', 'Alice');
		const a = connect(server, room, alice.cookie);
		const m = connect(server, room, mallory.cookie);
		await Promise.all([a.synced(), m.synced()]);
		m.provider.awareness.setLocalState({
			name: 'Fleur (begeleider)',
			role: 'facilitator',
			perspective: 'gemeente',
			participantId: alice.id,
			step: 'outcomes'
		});
		await eventually(() =>
			expect(a.provider.awareness.getStates().get(m.doc.clientID)).toEqual({
				name: 'Mallory',
				role: 'participant',
				perspective: 'inwoner',
				participantId: mallory.id,
				step: 'outcomes'
			})
		);
		expect(m.closes).toEqual([]);
	});

	it('a Yjs client id stays bound to its writer across a server restart', async () => {
		const first = await setup();
		const { board, room } = first;
		const alice = await fx.participant(first.server.app, board);
		const mallory = await fx.participant(first.server.app, board, 'gemeente');
		const a = connect(first.server, room, alice.cookie);
		await a.synced();
		addCard(a.doc, { kind: 'ambition', text: 'van Alice', author: authorOf(alice) });
		const fac = connect(first.server, room, board.facilitator.cookie);
		await eventually(() => expect(cards(fac.doc).size).toBe(1));
		// A crafted copy that continues under Alice's client id (the stock Yjs client would pick a new
		// id on seeing its own in remote changes; a crafted one does not).
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(a.doc));
		copy.clientID = a.doc.clientID;
		for (const c of open.splice(0)) c.destroy();
		await first.server.close();

		server = await startServer({ dataDir: first.server.dataDir });
		const attack = await crafted(server, room, mallory.cookie, copy);
		attack.send((d) =>
			addCard(d, { kind: 'ambition', text: 'onder andermans id', author: authorOf(mallory) })
		);
		const { reason } = await attack.socket.closed;
		expect(refusalOf(reason)).toBe('rule');
		expect(reason).toContain('client id');
	});
});

describe('honest work is never refused', () => {
	it('a phone that saved a card several times offline, with its undo history, is heard in full on return', async () => {
		const { server, board, room } = await setup();
		const petra = await fx.participant(server.app, board, 'professional', 'Petra');
		const phone = connect(server, room, petra.cookie);
		const fac = connect(server, room, board.facilitator.cookie);
		await Promise.all([phone.synced(), fac.synced()]);
		// As the board's own state does: an undo manager that keeps overwritten values.
		const mine = {};
		const undo = new Y.UndoManager([cards(phone.doc)], {
			trackedOrigins: new Set([mine]),
			captureTimeout: 0
		});
		const refusals = () => phone.closes.filter((close) => close.code >= 4000);

		phone.provider.disconnect();
		const id = addCard(
			phone.doc,
			{ kind: 'activity', text: 'Re-integratie', author: authorOf(petra) },
			mine
		);
		for (const text of [
			'Re-integratie door',
			'Re-integratie door de',
			'Re-integratie door de gemeente'
		])
			updateCard(phone.doc, id, { text }, mine);
		expect(cards(fac.doc).has(id)).toBe(false);
		phone.provider.connect();

		await eventually(() =>
			expect(readCard(fac.doc, id)?.text).toBe('Re-integratie door de gemeente')
		);
		expect(refusals()).toEqual([]);
		// And the undo history still works on what was typed offline.
		undo.undo();
		await eventually(() => expect(readCard(fac.doc, id)?.text).toBe('Re-integratie door de'));
		expect(refusals()).toEqual([]);
	});
});
