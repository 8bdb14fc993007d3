/**
 * Anonymous rounds hold on the wire: after an anonymous reveal no frame another participant
 * receives names the authors of the revealed cards; presence on an anonymous step says nothing
 * about the step; a participant may not put a byline into an anonymous step; a round hidden from
 * facilitators keeps them out of private documents and forgets the ballots once tallied.
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
		const alice = fx.participant(server.app, board, 'inwoner', 'Anouk Geheimnaam');
		const bob = fx.participant(server.app, board, 'aanbieder', 'Bram Buurman');
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
		await eventually(() =>
			expect(bobShared.doc.getMap('control').get('anonymousSteps')).toBeInstanceOf(Y.Map)
		);

		mapOf(alicePrivate.doc, 'drafts').set(
			'anon-1',
			draft('anon-1', 'ambition', 'ambition', 'iedereen doet mee', alice)
		);
		await eventually(() =>
			expect(mapOf(facOnAlice.doc, 'drafts').get('anon-1')?.get('text')).toBe('iedereen doet mee')
		);

		// Reveal.
		(control(fac).get('privateSteps') as Y.Map<boolean>).delete('ambition');
		await eventually(() =>
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
		await eventually(() =>
			expect(alicePrivate.doc.getMap('authored').get('anon-1')).toBe(alice.name)
		);
		await eventually(() =>
			expect(facOnAlice.doc.getMap('authored').get('anon-1')).toBe(alice.name)
		);
		const bobPrivate = connect(bob.cookie, `private/${board.boardId}/${bob.id}`);
		await bobPrivate.synced();
		expect(text(Y.encodeStateAsUpdate(bobPrivate.doc))).not.toContain('Geheimnaam');

		// Nobody may change a card without an author but facilitators.
		const aliceShared = connect(alice.cookie, shared);
		await aliceShared.synced();
		await eventually(() => expect(mapOf(aliceShared.doc, 'cards').has('anon-1')).toBe(true));
		mapOf(aliceShared.doc, 'cards').get('anon-1')?.set('text', 'veranderd');
		await eventually(() => expect(aliceShared.closes.some((c) => c.code === 4403)).toBe(true));
		expect(mapOf(fac.doc, 'cards').get('anon-1')?.get('text')).toBe('iedereen doet mee');
	});

	it('refuses a participant who writes a byline into an anonymous step', async () => {
		const board = await fx.board(server.app);
		const carol = fx.participant(server.app, board, 'professional');
		const fac = connect(board.facilitator.cookie, `board/${board.boardId}`);
		await fac.synced();
		control(fac).set('anonymousSteps', new Y.Map<string>([['ambition', 'hidden']]));
		const sneaky = connect(carol.cookie, `board/${board.boardId}`);
		await sneaky.synced();
		await eventually(() =>
			expect(sneaky.doc.getMap('control').get('anonymousSteps')).toBeInstanceOf(Y.Map)
		);
		mapOf(sneaky.doc, 'cards').set(
			'named',
			draft('named', 'ambition', 'situation', 'mijn naam erbij', carol)
		);
		await eventually(() => expect(sneaky.closes.some((c) => c.code === 4403)).toBe(true));
		await server.realtime.flush();
		expect(mapOf(fac.doc, 'cards').has('named')).toBe(false);

		// A participant may not make a step anonymous, or not, either.
		const other = connect(carol.cookie, `board/${board.boardId}`);
		await other.synced();
		(other.doc.getMap('control').get('anonymousSteps') as Y.Map<string>).delete('ambition');
		await eventually(() => expect(other.closes.some((c) => c.code === 4403)).toBe(true));
	});

	it('presence on an anonymous step does not say which step', async () => {
		const board = await fx.board(server.app);
		const dirk = fx.participant(server.app, board, 'inwoner');
		const eva = fx.participant(server.app, board, 'gemeente');
		const fac = connect(board.facilitator.cookie, `board/${board.boardId}`);
		await fac.synced();
		control(fac).set('anonymousSteps', new Y.Map<string>([['outcomes', 'facilitator']]));
		const dirkShared = connect(dirk.cookie, `board/${board.boardId}`);
		const evaShared = connect(eva.cookie, `board/${board.boardId}`);
		await Promise.all([dirkShared.synced(), evaShared.synced()]);
		await eventually(() =>
			expect(dirkShared.doc.getMap('control').get('anonymousSteps')).toBeInstanceOf(Y.Map)
		);
		dirkShared.provider.awareness.setLocalState({ step: 'outcomes', typing: true });
		const dirkId = dirkShared.doc.clientID;
		await eventually(() =>
			expect(evaShared.provider.awareness.getStates().get(dirkId)).toMatchObject({
				participantId: dirk.id,
				step: null
			})
		);
		expect(evaShared.provider.awareness.getStates().get(dirkId)).not.toHaveProperty('typing');
		// On a step that is not anonymous, the step passes.
		dirkShared.provider.awareness.setLocalState({ step: 'ambition' });
		await eventually(() =>
			expect(evaShared.provider.awareness.getStates().get(dirkId)).toMatchObject({
				step: 'ambition'
			})
		);
	});
});

describe('a round hidden from facilitators too', () => {
	it('keeps facilitators out of private documents, keeps no author, forgets the ballots', async () => {
		const board = await fx.board(server.app);
		const frank = fx.participant(server.app, board, 'inwoner', 'Frank Verborgen');
		const fac = connect(board.facilitator.cookie, `board/${board.boardId}`);
		await fac.synced();
		const facOnFrank = connect(board.facilitator.cookie, `private/${board.boardId}/${frank.id}`);
		await facOnFrank.synced();

		fac.doc.transact(() => {
			control(fac).set('anonymousSteps', new Y.Map<string>([['outcomes', 'hidden']]));
			control(fac).set('privateSteps', new Y.Map<boolean>([['outcomes', true]]));
		});
		// The facilitator's socket on Frank's private document is closed...
		await eventually(() => expect(facOnFrank.closes.some((c) => c.code === 1001)).toBe(true));
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
		await eventually(() =>
			expect(mapOf(fac.doc, 'cards').get('hidden-1')?.toJSON()).toMatchObject({
				authorId: '',
				authorName: ''
			})
		);
		await server.realtime.settled();
		expect(frankPrivate.doc.getMap('authored').size).toBe(0);

		// A hidden voting round: tallied per perspective, then the ballots are gone.
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
		await eventually(() => {
			const results = control(fac).get('results') as Y.Map<Y.Map<Y.Map<number>>>;
			expect(results?.get('r-hidden')?.toJSON()).toEqual({ 'hidden-1': { inwoner: 2 } });
		});
		await server.realtime.settled();
		await eventually(() => expect(frankPrivate.doc.getMap('ballots').has('r-hidden')).toBe(false));

		// Once nothing hidden runs, the facilitator may watch private documents again.
		const back = connect(board.facilitator.cookie, `private/${board.boardId}/${frank.id}`);
		await back.synced();
		expect(back.closes).toEqual([]);
	});
});
