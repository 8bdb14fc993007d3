/**
 * Hidden means not sent: private drafts reach only their author and facilitators until the reveal;
 * ballots stay within the round's budget and are tallied by the server on reveal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServer, type TestServer } from './helpers/start-server.ts';
import * as fx from './helpers/fixtures.ts';
import { client, eventually, type TestClient } from './helpers/clients.ts';

let server: TestServer;
let board: fx.BoardFixture;
const open: TestClient[] = [];
const connect = (cookie: string, room: string) => {
	const c = client(server, room, cookie);
	open.push(c);
	return c;
};
const mapOf = (doc: Y.Doc, name: string) => doc.getMap(name) as Y.Map<Y.Map<unknown>>;
const flags = (entries: [string, boolean][]) => new Y.Map<boolean>(entries);

beforeAll(async () => {
	server = await startServer();
	board = await fx.board(server.app);
});
afterAll(async () => {
	for (const c of open) c.destroy();
	await server.close();
});

describe('private brainstorm', () => {
	it('drafts reach only their author and facilitators, and move to the board on reveal', async () => {
		const alice = await fx.participant(server.app, board, 'inwoner');
		const bob = await fx.participant(server.app, board, 'aanbieder');
		const shared = `board/${board.boardId}`;
		const fac = connect(board.facilitator.cookie, shared);
		await fac.synced();
		fac.doc.getMap('control').set('privateSteps', flags([['ambition', true]]));

		const alicePrivate = connect(alice.cookie, `private/${board.boardId}/${alice.id}`);
		const bobShared = connect(bob.cookie, shared);
		const bobPrivate = connect(bob.cookie, `private/${board.boardId}/${bob.id}`);
		const facOnAlice = connect(board.facilitator.cookie, `private/${board.boardId}/${alice.id}`);
		await Promise.all([alicePrivate, bobShared, bobPrivate, facOnAlice].map((c) => c.synced()));
		await eventually(async () =>
			expect(bobShared.doc.getMap('control').get('privateSteps')).toBeInstanceOf(Y.Map)
		);

		alicePrivate.doc.getMap('drafts').set(
			'draft-1',
			new Y.Map<unknown>(
				Object.entries({
					id: 'draft-1',
					step: 'ambition',
					kind: 'ambition',
					text: 'geheim idee',
					authorId: alice.id,
					authorName: alice.name,
					perspective: 'inwoner'
				})
			)
		);
		// The facilitator sees it live...
		await eventually(async () =>
			expect(mapOf(facOnAlice.doc, 'drafts').get('draft-1')?.get('text')).toBe('geheim idee')
		);
		// ...and Bob's devices have nothing of it: not on the board, not in his private doc.
		const hidden = (doc: Y.Doc) =>
			new TextDecoder().decode(Y.encodeStateAsUpdate(doc)).includes('geheim');
		expect(hidden(bobShared.doc)).toBe(false);
		expect(hidden(bobPrivate.doc)).toBe(false);
		expect(mapOf(bobShared.doc, 'cards').has('draft-1')).toBe(false);

		// A participant may not put a card of a private step on the shared board directly.
		const sneaky = connect(bob.cookie, shared);
		await sneaky.synced();
		sneaky.doc
			.getMap('cards')
			.set(
				'bob-direct',
				new Y.Map<unknown>(Object.entries({ step: 'ambition', authorId: bob.id, text: 'direct' }))
			);
		await eventually(async () => expect(sneaky.closes.some((c) => c.code === 4403)).toBe(true));
		sneaky.destroy();

		// Reveal: the facilitator makes the step public; the server moves the draft.
		(fac.doc.getMap('control').get('privateSteps') as Y.Map<boolean>).delete('ambition');
		await eventually(async () =>
			expect(mapOf(bobShared.doc, 'cards').get('draft-1')?.toJSON()).toMatchObject({
				text: 'geheim idee',
				authorId: alice.id,
				step: 'ambition'
			})
		);
		await eventually(async () =>
			expect(mapOf(alicePrivate.doc, 'drafts').has('draft-1')).toBe(false)
		);
		expect(mapOf(bobShared.doc, 'cards').has('bob-direct')).toBe(false);
	});

	it("a participant cannot write another participant's drafts, nor drafts of a public step", async () => {
		const carol = await fx.participant(server.app, board);
		const own = connect(carol.cookie, `private/${board.boardId}/${carol.id}`);
		await own.synced();
		own.doc
			.getMap('drafts')
			.set(
				'public-draft',
				new Y.Map<unknown>(Object.entries({ step: 'outcomes', authorId: carol.id, text: 'x' }))
			);
		await eventually(async () => expect(own.closes.some((c) => c.code === 4403)).toBe(true));
		own.destroy();
	});
});

describe('voting rounds', () => {
	it('ballots stay within the budget of an open round and are tallied per perspective on reveal', async () => {
		const shared = `board/${board.boardId}`;
		const fac = connect(board.facilitator.cookie, shared);
		await fac.synced();
		fac.doc.transact(() => {
			const rounds = new Y.Map<Y.Map<unknown>>();
			rounds.set(
				'round-1',
				new Y.Map<unknown>(
					Object.entries({ id: 'round-1', status: 'open', votesPerPerson: 3, createdAt: 1 })
				)
			);
			fac.doc.getMap('control').set('rounds', rounds);
		});
		const voters = [
			await fx.participant(server.app, board, 'inwoner'),
			await fx.participant(server.app, board, 'inwoner'),
			await fx.participant(server.app, board, 'gemeente')
		];
		const ballots = voters.map((v) => connect(v.cookie, `private/${board.boardId}/${v.id}`));
		await Promise.all(ballots.map((b) => b.synced()));
		const vote = (c: TestClient, votes: Record<string, number>) =>
			c.doc.getMap('ballots').set('round-1', new Y.Map<number>(Object.entries(votes)));
		vote(ballots[0], { 'card-a': 2, 'card-b': 1 });
		vote(ballots[1], { 'card-a': 1 });
		vote(ballots[2], { 'card-a': 3 });

		// Over budget: refused.
		const greedy = connect(voters[1].cookie, `private/${board.boardId}/${voters[1].id}`);
		await greedy.synced();
		await eventually(async () =>
			expect((greedy.doc.getMap('ballots').get('round-1') as Y.Map<number>)?.get('card-a')).toBe(1)
		);
		(greedy.doc.getMap('ballots').get('round-1') as Y.Map<number>).set('card-b', 5);
		await eventually(async () => expect(greedy.closes.some((c) => c.code === 4403)).toBe(true));
		greedy.destroy();

		// Let the good ballots land, then reveal.
		await server.realtime.flush();
		const round = (fac.doc.getMap('control').get('rounds') as Y.Map<Y.Map<unknown>>).get('round-1');
		round?.set('status', 'revealed');
		await eventually(async () => {
			const results = fac.doc.getMap('control').get('results') as Y.Map<Y.Map<Y.Map<number>>>;
			expect(results?.get('round-1')?.toJSON()).toEqual({
				'card-a': { inwoner: 3, gemeente: 3 },
				'card-b': { inwoner: 1 }
			});
		});

		// After the reveal the round is no longer open: no more votes.
		const late = ballots[0];
		(late.doc.getMap('ballots').get('round-1') as Y.Map<number>).set('card-b', 0);
		await eventually(async () => expect(late.closes.some((c) => c.code === 4403)).toBe(true));
	});
});

describe('after a crash', () => {
	it('drafts of a step that is no longer private are revealed when the board loads', async () => {
		const other = await fx.board(server.app);
		const erin = await fx.participant(server.app, other);
		// A private doc as a crash could leave it: a draft of a step that is public by now.
		const { addDraft } = await import('../../src/lib/board/schema/index.ts');
		const draftDoc = new Y.Doc();
		addDraft(draftDoc, {
			step: 'ambition',
			kind: 'ambition',
			text: 'bijna kwijt',
			author: { id: erin.id, name: erin.name, perspective: 'inwoner' },
			createdAt: 1
		});
		await server.app.updates.append(
			`private/${other.boardId}/${erin.id}`,
			Y.encodeStateAsUpdate(draftDoc)
		);
		const fac = connect(other.facilitator.cookie, `board/${other.boardId}`);
		await eventually(async () =>
			expect([...mapOf(fac.doc, 'cards').values()].map((card) => card.get('text'))).toContain(
				'bijna kwijt'
			)
		);
	});
});
