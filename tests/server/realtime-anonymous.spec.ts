/**
 * Anonymous rounds hold on the wire: after an anonymous reveal no frame another participant
 * receives names the authors of the revealed cards; presence on an anonymous step says nothing
 * about the step; a participant may not put a byline into an anonymous step; a round hidden from
 * facilitators keeps them out of private documents and forgets the ballots once tallied; an
 * anonymous vote shows a perspective apart only with 3 or more voters, and no device receives
 * anything finer; an anonymous brainstorm arrives as one shuffled update with one time stamp.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { startServer, type TestServer } from './helpers/start-server.ts';
import * as fx from './helpers/fixtures.ts';
import { client, eventually, raw, type TestClient } from './helpers/clients.ts';

let server: TestServer;
const open: { destroy(): void }[] = [];
const connect = (cookie: string, room: string) => {
	const c = client(server, room, cookie);
	open.push(c);
	return c;
};
const mapOf = (doc: Y.Doc, name: string) => doc.getMap(name) as Y.Map<Y.Map<unknown>>;
const control = (c: TestClient) => c.doc.getMap('control');
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const roundsOf = (doc: Y.Doc) => doc.getMap('control').get('rounds') as Y.Map<Y.Map<unknown>>;

/** A stock provider that keeps every frame its socket receives (what the device gets). */
function recording(cookie: string, room: string) {
	const frames: Uint8Array[] = [];
	const origin = server.origin;
	class Recorder extends WebSocket {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, { headers: { cookie, origin } });
			this.on('message', (data: Buffer) => frames.push(new Uint8Array(data)));
		}
	}
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(server.wsUrl, room, doc, {
		WebSocketPolyfill: Recorder as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		maxBackoffTime: 200
	});
	const closes: number[] = [];
	provider.on('connection-close', (event: CloseEvent | null) => {
		if (event) closes.push(event.code);
	});
	const handle = {
		doc,
		provider,
		frames,
		closes,
		synced: () =>
			new Promise<void>((resolve) => {
				if (provider.synced) return resolve();
				provider.on('sync', (synced: boolean) => synced && resolve());
			}),
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
	open.push(handle);
	return handle;
}

function draft(
	id: string,
	step: string,
	kind: string,
	words: string,
	who: fx.Person & { perspective: string }
) {
	return new Y.Map<unknown>(
		Object.entries({
			id,
			step,
			kind,
			text: words,
			authorId: who.id,
			authorName: who.name,
			perspective: who.perspective,
			createdAt: 1,
			order: 'a0'
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

describe('an anonymous brainstorm (facilitators see the authors)', () => {
	it("reveals cards whose authors never reach another participant's device", async () => {
		const board = await fx.board(server.app);
		const alice = await fx.participant(server.app, board, 'inwoner', 'Anouk Geheimnaam');
		const bob = await fx.participant(server.app, board, 'aanbieder', 'Bram Buurman');
		const shared = `board/${board.boardId}`;
		const fac = connect(board.facilitator.cookie, shared);
		await fac.synced();
		fac.doc.transact(() => {
			control(fac).set('anonymousSteps', new Y.Map<string>([['ambition', 'facilitator']]));
			control(fac).set('privateSteps', new Y.Map<boolean>([['ambition', true]]));
		});

		const bobShared = recording(bob.cookie, shared);
		const alicePrivate = connect(alice.cookie, `private/${board.boardId}/${alice.id}`);
		const facOnAlice = connect(board.facilitator.cookie, `private/${board.boardId}/${alice.id}`);
		await Promise.all([bobShared.synced(), alicePrivate.synced(), facOnAlice.synced()]);
		await eventually(async () =>
			expect(bobShared.doc.getMap('control').get('anonymousSteps')).toBeInstanceOf(Y.Map)
		);

		mapOf(alicePrivate.doc, 'drafts').set(
			'anon-1',
			draft('anon-1', 'ambition', 'ambition', 'iedereen doet mee', alice)
		);
		await eventually(async () =>
			expect(mapOf(facOnAlice.doc, 'drafts').get('anon-1')?.get('text')).toBe('iedereen doet mee')
		);

		// Reveal.
		(control(fac).get('privateSteps') as Y.Map<boolean>).delete('ambition');
		await eventually(async () =>
			expect(mapOf(bobShared.doc, 'cards').get('anon-1')?.toJSON()).toMatchObject({
				text: 'iedereen doet mee',
				authorId: '',
				authorName: '',
				perspective: null
			})
		);
		await server.realtime.settled();

		// Every frame Bob's device received: no id, no name of the author.
		const received = bobShared.frames.map(text).join('\n');
		expect(received).toContain('iedereen doet mee');
		expect(received).not.toContain(alice.id);
		expect(received).not.toContain(alice.name);
		expect(received).not.toContain('Geheimnaam');

		// Who wrote it stays where only Alice and the facilitators look: her private document.
		await eventually(async () =>
			expect(alicePrivate.doc.getMap('authored').get('anon-1')).toBe(alice.name)
		);
		await eventually(async () =>
			expect(facOnAlice.doc.getMap('authored').get('anon-1')).toBe(alice.name)
		);
		const bobPrivate = connect(bob.cookie, `private/${board.boardId}/${bob.id}`);
		await bobPrivate.synced();
		expect(text(Y.encodeStateAsUpdate(bobPrivate.doc))).not.toContain('Geheimnaam');

		// Nobody may change a card without an author but facilitators.
		const aliceShared = connect(alice.cookie, shared);
		await aliceShared.synced();
		await eventually(async () => expect(mapOf(aliceShared.doc, 'cards').has('anon-1')).toBe(true));
		mapOf(aliceShared.doc, 'cards').get('anon-1')?.set('text', 'veranderd');
		await eventually(async () =>
			expect(aliceShared.closes.some((c) => c.code === 4403)).toBe(true)
		);
		expect(mapOf(fac.doc, 'cards').get('anon-1')?.get('text')).toBe('iedereen doet mee');
	});

	it('refuses a participant who writes a byline into an anonymous step', async () => {
		const board = await fx.board(server.app);
		const carol = await fx.participant(server.app, board, 'professional');
		const fac = connect(board.facilitator.cookie, `board/${board.boardId}`);
		await fac.synced();
		control(fac).set('anonymousSteps', new Y.Map<string>([['ambition', 'hidden']]));
		const sneaky = connect(carol.cookie, `board/${board.boardId}`);
		await sneaky.synced();
		await eventually(async () =>
			expect(sneaky.doc.getMap('control').get('anonymousSteps')).toBeInstanceOf(Y.Map)
		);
		mapOf(sneaky.doc, 'cards').set(
			'named',
			draft('named', 'ambition', 'situation', 'mijn naam erbij', carol)
		);
		await eventually(async () => expect(sneaky.closes.some((c) => c.code === 4403)).toBe(true));
		await server.realtime.flush();
		expect(mapOf(fac.doc, 'cards').has('named')).toBe(false);

		// A participant may not make a step anonymous, or not, either.
		const other = connect(carol.cookie, `board/${board.boardId}`);
		await other.synced();
		(other.doc.getMap('control').get('anonymousSteps') as Y.Map<string>).delete('ambition');
		await eventually(async () => expect(other.closes.some((c) => c.code === 4403)).toBe(true));
	});

	it('presence on an anonymous step does not say which step', async () => {
		const board = await fx.board(server.app);
		const dirk = await fx.participant(server.app, board, 'inwoner');
		const eva = await fx.participant(server.app, board, 'gemeente');
		const fac = connect(board.facilitator.cookie, `board/${board.boardId}`);
		await fac.synced();
		control(fac).set('anonymousSteps', new Y.Map<string>([['outcomes', 'facilitator']]));
		const dirkShared = connect(dirk.cookie, `board/${board.boardId}`);
		const evaShared = connect(eva.cookie, `board/${board.boardId}`);
		await Promise.all([dirkShared.synced(), evaShared.synced()]);
		await eventually(async () =>
			expect(dirkShared.doc.getMap('control').get('anonymousSteps')).toBeInstanceOf(Y.Map)
		);
		dirkShared.provider.awareness.setLocalState({ step: 'outcomes', typing: true });
		const dirkId = dirkShared.doc.clientID;
		await eventually(async () =>
			expect(evaShared.provider.awareness.getStates().get(dirkId)).toMatchObject({
				participantId: dirk.id,
				step: null
			})
		);
		expect(evaShared.provider.awareness.getStates().get(dirkId)).not.toHaveProperty('typing');
		// On a step that is not anonymous, the step passes.
		dirkShared.provider.awareness.setLocalState({ step: 'ambition' });
		await eventually(async () =>
			expect(evaShared.provider.awareness.getStates().get(dirkId)).toMatchObject({
				step: 'ambition'
			})
		);
	});
});

describe('a round hidden from facilitators too', () => {
	it('keeps facilitators out of private documents, keeps no author, forgets the ballots', async () => {
		const board = await fx.board(server.app);
		const frank = await fx.participant(server.app, board, 'inwoner', 'Frank Verborgen');
		const fac = connect(board.facilitator.cookie, `board/${board.boardId}`);
		await fac.synced();
		const facOnFrank = connect(board.facilitator.cookie, `private/${board.boardId}/${frank.id}`);
		await facOnFrank.synced();

		fac.doc.transact(() => {
			control(fac).set('anonymousSteps', new Y.Map<string>([['outcomes', 'hidden']]));
			control(fac).set('privateSteps', new Y.Map<boolean>([['outcomes', true]]));
		});
		// The facilitator's socket on Frank's private document is closed...
		await eventually(async () => expect(facOnFrank.closes.some((c) => c.code === 1001)).toBe(true));
		facOnFrank.destroy();
		// ...and a new one is not let in while the round runs.
		const refused = await raw(server, `/ws/private/${board.boardId}/${frank.id}`, {
			cookie: board.facilitator.cookie,
			origin: server.origin
		});
		expect((await refused.closed).code).toBe(1001);

		const frankPrivate = connect(frank.cookie, `private/${board.boardId}/${frank.id}`);
		await frankPrivate.synced();
		mapOf(frankPrivate.doc, 'drafts').set(
			'hidden-1',
			draft('hidden-1', 'outcomes', 'outcome', 'minder eenzaamheid', frank)
		);
		await server.realtime.flush();
		(control(fac).get('privateSteps') as Y.Map<boolean>).delete('outcomes');
		await eventually(async () =>
			expect(mapOf(fac.doc, 'cards').get('hidden-1')?.toJSON()).toMatchObject({
				authorId: '',
				authorName: ''
			})
		);
		await server.realtime.settled();
		expect(frankPrivate.doc.getMap('authored').size).toBe(0);

		// A hidden voting round: tallied (one voter: only the total), then the ballots are gone.
		fac.doc.transact(() => {
			const rounds = new Y.Map<Y.Map<unknown>>();
			rounds.set(
				'r-hidden',
				new Y.Map<unknown>(
					Object.entries({
						id: 'r-hidden',
						status: 'open',
						votesPerPerson: 3,
						createdAt: 1,
						anonymous: 'hidden'
					})
				)
			);
			control(fac).set('rounds', rounds);
		});
		await eventually(async () => {
			const again = await raw(server, `/ws/private/${board.boardId}/${frank.id}`, {
				cookie: board.facilitator.cookie,
				origin: server.origin
			});
			expect((await again.closed).code).toBe(1001);
		});
		frankPrivate.doc.getMap('ballots').set('r-hidden', new Y.Map<number>([['hidden-1', 2]]));
		await server.realtime.flush();
		const round = (control(fac).get('rounds') as Y.Map<Y.Map<unknown>>).get('r-hidden');
		round?.set('status', 'revealed');
		await eventually(async () => {
			const results = control(fac).get('results') as Y.Map<Y.Map<Y.Map<number>>>;
			expect(results?.get('r-hidden')?.toJSON()).toEqual({ 'hidden-1': { samen: 2 } });
		});
		await server.realtime.settled();
		await eventually(async () =>
			expect(frankPrivate.doc.getMap('ballots').has('r-hidden')).toBe(false)
		);

		// Once nothing hidden runs, the facilitator may watch private documents again.
		const back = connect(board.facilitator.cookie, `private/${board.boardId}/${frank.id}`);
		await back.synced();
		expect(back.closes).toEqual([]);
	});
});

/** A voting round record as a facilitator's client writes it. */
function roundRecord(id: string, anonymous?: string) {
	return new Y.Map<unknown>(
		Object.entries({
			id,
			status: 'open',
			votesPerPerson: 3,
			createdAt: 1,
			...(anonymous ? { anonymous } : {})
		})
	);
}

describe('anonymous vote results: nobody can be picked out of a small perspective', () => {
	it('shows apart only perspectives of 3 or more voters, and no finer count reaches any device', async () => {
		const board = await fx.board(server.app);
		const shared = `board/${board.boardId}`;
		const fac = connect(board.facilitator.cookie, shared);
		await fac.synced();
		control(fac).set('rounds', new Y.Map([['r-anon', roundRecord('r-anon', 'facilitator')]]));
		// Three of the gemeente, three aanbieders and one inwoner vote; a professional only watches.
		const voters = await Promise.all(
			[
				...(['gemeente', 'gemeente', 'gemeente', 'aanbieder', 'aanbieder', 'aanbieder'] as const),
				'inwoner' as const
			].map((perspective) => fx.participant(server.app, board, perspective))
		);
		const watcher = await fx.participant(server.app, board, 'professional');
		const watching = recording(watcher.cookie, shared);
		const own = voters.map((p) => connect(p.cookie, `private/${board.boardId}/${p.id}`));
		await Promise.all([watching.synced(), ...own.map((c) => c.synced())]);
		await eventually(async () =>
			expect((watching.doc.getMap('control').get('rounds') as Y.Map<unknown>)?.has('r-anon')).toBe(
				true
			)
		);
		// Everyone puts 1 dot on "a"; the lone inwoner puts 2 on "b" as well.
		own.forEach((c, i) =>
			c.doc.getMap('ballots').set(
				'r-anon',
				new Y.Map<number>(
					i === 6
						? [
								['a', 1],
								['b', 2]
							]
						: [['a', 1]]
				)
			)
		);
		await server.realtime.flush();
		const round = () => (control(fac).get('rounds') as Y.Map<Y.Map<unknown>>).get('r-anon')!;
		round().set('status', 'closed');
		// The server counts who voted when the round closes: the facilitator can be warned.
		await eventually(async () => expect(round().get('voters')).toBe(7));
		const before = watching.frames.length;
		round().set('status', 'revealed');
		await eventually(async () =>
			expect(
				(control(fac).get('results') as Y.Map<Y.Map<unknown>>).get('r-anon')?.toJSON()
			).toEqual({
				// aanbieder (3) apart. The inwoner alone would be the total minus the groups shown, so
				// the smallest group shown (gemeente, 3) is counted with it: 4 people, 6 dots.
				a: { aanbieder: 3, overig: 4 },
				b: { overig: 2 }
			})
		);
		await server.realtime.settled();
		const after = watching.frames.slice(before).map(text).join('\n');
		expect(after).toContain('overig');
		expect(after).not.toContain('inwoner');
		expect(after).not.toContain('gemeente');
		// Nothing the watcher ever received names a voter or a ballot.
		const all = watching.frames.map(text).join('\n');
		for (const p of voters) expect(all).not.toContain(p.id);
		expect(all).not.toContain('ballots');
	});

	it('shows only the totals and counts 2 voters when fewer than 3 voted', async () => {
		const board = await fx.board(server.app);
		const fac = connect(board.facilitator.cookie, `board/${board.boardId}`);
		await fac.synced();
		control(fac).set('rounds', new Y.Map([['r-few', roundRecord('r-few', 'hidden')]]));
		const pair = [
			await fx.participant(server.app, board, 'gemeente'),
			await fx.participant(server.app, board, 'inwoner')
		];
		const own = pair.map((p) => connect(p.cookie, `private/${board.boardId}/${p.id}`));
		await Promise.all(own.map((c) => c.synced()));
		own[0]!.doc.getMap('ballots').set('r-few', new Y.Map<number>([['a', 2]]));
		own[1]!.doc.getMap('ballots').set(
			'r-few',
			new Y.Map<number>([
				['a', 1],
				['b', 1]
			])
		);
		await server.realtime.flush();
		const round = () => (control(fac).get('rounds') as Y.Map<Y.Map<unknown>>).get('r-few')!;
		round().set('status', 'closed');
		await eventually(async () => expect(round().get('voters')).toBe(2));
		round().set('status', 'revealed');
		await eventually(async () =>
			expect((control(fac).get('results') as Y.Map<Y.Map<unknown>>).get('r-few')?.toJSON()).toEqual(
				{
					a: { samen: 3 },
					b: { samen: 1 }
				}
			)
		);
	});

	it('still shows every perspective in a round with names', async () => {
		const board = await fx.board(server.app);
		const fac = connect(board.facilitator.cookie, `board/${board.boardId}`);
		await fac.synced();
		control(fac).set('rounds', new Y.Map([['r-named', roundRecord('r-named')]]));
		const ina = await fx.participant(server.app, board, 'inwoner');
		const own = connect(ina.cookie, `private/${board.boardId}/${ina.id}`);
		await own.synced();
		own.doc.getMap('ballots').set('r-named', new Y.Map<number>([['a', 3]]));
		await server.realtime.flush();
		(control(fac).get('rounds') as Y.Map<Y.Map<unknown>>).get('r-named')!.set('status', 'revealed');
		await eventually(async () =>
			expect(
				(control(fac).get('results') as Y.Map<Y.Map<unknown>>).get('r-named')?.toJSON()
			).toEqual({ a: { inwoner: 3 } })
		);
	});

	it('refuses a client that writes the voter count, or changes an anonymous round', async () => {
		const board = await fx.board(server.app);
		const fac = connect(board.facilitator.cookie, `board/${board.boardId}`);
		await fac.synced();
		control(fac).set('rounds', new Y.Map([['r-x', roundRecord('r-x', 'hidden')]]));
		await server.realtime.flush();
		const forger = connect(board.facilitator.cookie, `board/${board.boardId}`);
		await forger.synced();
		await eventually(async () => expect(control(forger).get('rounds')).toBeInstanceOf(Y.Map));
		(control(forger).get('rounds') as Y.Map<Y.Map<unknown>>).get('r-x')!.set('voters', 9);
		await eventually(async () => expect(forger.closes.some((c) => c.code === 4403)).toBe(true));
		expect((control(fac).get('rounds') as Y.Map<Y.Map<unknown>>).get('r-x')!.has('voters')).toBe(
			false
		);

		// An anonymous round stays anonymous: a facilitator can neither switch it off nor replace the
		// round (or all rounds) by one without it before the reveal.
		const attempts: ((doc: Y.Doc) => void)[] = [
			(doc) => roundsOf(doc).get('r-x')!.delete('anonymous'),
			(doc) => roundsOf(doc).get('r-x')!.set('anonymous', 'facilitator'),
			(doc) => roundsOf(doc).set('r-x', roundRecord('r-x')),
			(doc) => doc.getMap('control').set('rounds', new Y.Map([['r-x', roundRecord('r-x')]]))
		];
		for (const attempt of attempts) {
			const rogue = connect(board.facilitator.cookie, `board/${board.boardId}`);
			await rogue.synced();
			await eventually(async () => expect(roundsOf(rogue.doc).has('r-x')).toBe(true));
			attempt(rogue.doc);
			await eventually(async () => expect(rogue.closes.some((c) => c.code === 4403)).toBe(true));
		}
		await server.realtime.flush();
		const check = connect(board.facilitator.cookie, `board/${board.boardId}`);
		await check.synced();
		expect(roundsOf(check.doc).get('r-x')?.get('anonymous')).toBe('hidden');
	});
});

describe('an anonymous brainstorm reveal says nothing through order or time', () => {
	it('arrives as one update, all cards with the same time stamp', async () => {
		const board = await fx.board(server.app);
		const shared = `board/${board.boardId}`;
		const fac = connect(board.facilitator.cookie, shared);
		await fac.synced();
		fac.doc.transact(() => {
			control(fac).set('anonymousSteps', new Y.Map<string>([['ambition', 'hidden']]));
			control(fac).set('privateSteps', new Y.Map<boolean>([['ambition', true]]));
		});
		const writers = [
			await fx.participant(server.app, board, 'inwoner'),
			await fx.participant(server.app, board, 'gemeente')
		];
		const watcher = await fx.participant(server.app, board, 'aanbieder');
		const watching = recording(watcher.cookie, shared);
		const own = writers.map((p) => connect(p.cookie, `private/${board.boardId}/${p.id}`));
		await Promise.all([watching.synced(), ...own.map((c) => c.synced())]);
		const texts: string[] = [];
		writers.forEach((who, w) => {
			for (let i = 0; i < 3; i++) {
				const words = `kaart-${w}-${i}-tekst`;
				texts.push(words);
				const d = draft(`card-${w}-${i}-x`, 'ambition', 'situation', words, who);
				d.set('createdAt', 1000 * (w + 1) + i);
				mapOf(own[w]!.doc, 'drafts').set(`card-${w}-${i}-x`, d);
			}
		});
		await server.realtime.flush();
		(control(fac).get('privateSteps') as Y.Map<boolean>).delete('ambition');
		await eventually(async () => expect(mapOf(watching.doc, 'cards').size).toBe(6));
		await server.realtime.settled();
		// One frame carries all six: no update boundary groups one person's cards.
		const carrying = watching.frames.filter((f) => texts.some((t) => text(f).includes(t)));
		expect(carrying).toHaveLength(1);
		for (const t of texts) expect(text(carrying[0]!)).toContain(t);
		// One time stamp for all, not the authors' typing times.
		const stamps = new Set(
			[...mapOf(watching.doc, 'cards').values()].map((c) => c.get('createdAt'))
		);
		expect(stamps.size).toBe(1);
		expect([...stamps][0]).toBeGreaterThan(10_000);
	});
});
