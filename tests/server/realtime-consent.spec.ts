/**
 * Consent rounds over real sockets: answers live in each participant's private document and are
 * not sent to anyone else (frames inspected) until the facilitator shows the result; then the
 * server writes only counts per perspective and the reasons with their perspective, no names.
 * Every refusal closes the writer's socket with 4403 and stores nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { answerConsent, readConsent } from '../../src/lib/board/schema/consent.ts';
import { adoptConsent, proposeConsent } from '../../src/lib/board/schema/consent-writers.ts';
import { startServer, type TestServer } from './helpers/start-server.ts';
import * as fx from './helpers/fixtures.ts';
import { client, eventually, raw, type RawSocket, type TestClient } from './helpers/clients.ts';

let server: TestServer;
let board: fx.BoardFixture;
const open: TestClient[] = [];
const sockets: RawSocket[] = [];
const connect = (cookie: string, room: string) => {
	const c = client(server, room, cookie);
	open.push(c);
	return c;
};
const privateRoom = (participantId: string) => `private/${board.boardId}/${participantId}`;
/** Every byte another participant's sockets received, as text (Yjs stores strings as UTF-8). */
const received = (s: RawSocket[]) =>
	s.map((socket) => socket.messages.map((m) => Buffer.from(m).toString('utf8')).join('')).join('');
const refused = (c: TestClient) => c.closes.find((close) => close.code === 4403);
const answerIn = (doc: Y.Doc, roundId: string) =>
	(doc.getMap('consent').get(roundId) as Y.Map<unknown> | undefined)?.toJSON();

const REASON = 'BEZWAAR-geheim-Wie-is-iedereen';
const NOTE = 'NOTITIE-geheim-eerst-cijfers';

beforeAll(async () => {
	server = await startServer();
	board = await fx.board(server.app);
});
afterAll(async () => {
	for (const c of open) c.destroy();
	for (const s of sockets) s.ws.close();
	await server.close();
});

describe('consent round', () => {
	it('hides answers until the result is shown, refuses what the rules forbid, and counts per perspective', async () => {
		const shared = `board/${board.boardId}`;
		const fac = connect(board.facilitator.cookie, shared);
		await fac.synced();
		const proposalId = proposeConsent(fac.doc, {
			subject: 'ambition',
			cardIds: ['amb-1'],
			text: 'Iedereen in Kampen doet mee',
			now: 1,
			roundId: 'round-1'
		});

		const anna = await fx.participant(server.app, board, 'inwoner', 'Anna Objector');
		const ben = await fx.participant(server.app, board, 'gemeente');
		const cas = await fx.participant(server.app, board, 'aanbieder');
		const dirk = await fx.participant(server.app, board, 'professional');
		// Dirk's devices: raw sockets on the board and on his own private room, every frame kept.
		const headers = { origin: server.origin, cookie: dirk.cookie };
		sockets.push(
			await raw(server, `/ws/${shared}`, headers),
			await raw(server, `/ws/${privateRoom(dirk.id)}`, headers)
		);
		const [annaOwn, benOwn, casOwn] = [anna, ben, cas].map((p) =>
			connect(p.cookie, privateRoom(p.id))
		);
		const benShared = connect(ben.cookie, shared);
		const facOnAnna = connect(board.facilitator.cookie, privateRoom(anna.id));
		await Promise.all([annaOwn, benOwn, casOwn, benShared, facOnAnna].map((c) => c.synced()));
		await eventually(async () =>
			expect(readConsent(benShared.doc).proposals.map((p) => p.status)).toEqual(['open'])
		);

		answerConsent(annaOwn.doc, 'round-1', { answer: 'bezwaar', text: REASON, now: 2 });
		answerConsent(benOwn.doc, 'round-1', { answer: 'akkoord', text: '', now: 2 });
		answerConsent(casOwn.doc, 'round-1', { answer: 'parkeren', text: NOTE, now: 2 });
		// The facilitator receives Anna's private document, so the answer reached the server...
		await eventually(async () =>
			expect(answerIn(facOnAnna.doc, 'round-1')).toMatchObject({ text: REASON })
		);
		await server.realtime.flush();
		// ...and nothing of it went to the other participants before the result is shown.
		expect(received(sockets)).not.toContain(REASON);
		expect(received(sockets)).not.toContain(NOTE);
		const everything = (doc: Y.Doc) => Buffer.from(Y.encodeStateAsUpdate(doc)).toString('utf8');
		expect(everything(benShared.doc)).not.toContain(REASON);
		expect(everything(benOwn.doc)).not.toContain(REASON);

		// A second answer in the same round is refused; the first one stays.
		const annaAgain = connect(anna.cookie, privateRoom(anna.id));
		await annaAgain.synced();
		await eventually(async () => expect(answerIn(annaAgain.doc, 'round-1')).toBeDefined());
		(annaAgain.doc.getMap('consent').get('round-1') as Y.Map<unknown>).set('answer', 'akkoord');
		await eventually(async () => expect(refused(annaAgain)?.reason).toMatch(/answered already/));
		annaAgain.destroy();

		// A bezwaar without a reason is refused with its own kind (the board says it in Dutch).
		const eva = await fx.participant(server.app, board, 'inwoner');
		const evaOwn = connect(eva.cookie, privateRoom(eva.id));
		await evaOwn.synced();
		evaOwn.doc
			.getMap('consent')
			.set(
				'round-1',
				new Y.Map<unknown>(Object.entries({ answer: 'bezwaar', text: ' ', answeredAt: 3 }))
			);
		await eventually(async () => expect(refused(evaOwn)?.reason).toMatch(/^consent-reason: /));
		evaOwn.destroy();

		// Nobody answers for someone else: a participant cannot open another's private document...
		await expect(raw(server, `/ws/${privateRoom(ben.id)}`, headers)).rejects.toMatchObject({
			status: 403
		});
		// ...and a facilitator may read it, but not answer in it.
		const facOnEva = connect(board.facilitator.cookie, privateRoom(eva.id));
		await facOnEva.synced();
		answerConsent(facOnEva.doc, 'round-1', { answer: 'akkoord', text: '', now: 3 });
		await eventually(async () => expect(refused(facOnEva)?.reason).toMatch(/only the participant/));
		facOnEva.destroy();

		// Not outside an open round.
		const fien = await fx.participant(server.app, board, 'gemeente');
		const fienOwn = connect(fien.cookie, privateRoom(fien.id));
		await fienOwn.synced();
		answerConsent(fienOwn.doc, 'no-such-round', { answer: 'akkoord', text: '', now: 3 });
		await eventually(async () => expect(refused(fienOwn)?.reason).toMatch(/not open/));
		fienOwn.destroy();

		// Nothing of the refused answers was stored.
		for (const who of [anna, eva, fien]) {
			const check = connect(board.facilitator.cookie, privateRoom(who.id));
			await check.synced();
			const stored = check.doc.getMap('consent').toJSON();
			if (who === anna)
				expect(stored).toEqual({ 'round-1': expect.objectContaining({ answer: 'bezwaar' }) });
			else expect(stored).toEqual({});
		}

		// The facilitator shows the result: the server counts per perspective.
		const proposals = fac.doc.getMap('control').get('consent') as Y.Map<Y.Map<unknown>>;
		proposals.get(proposalId)?.set('status', 'revealed');
		await eventually(async () =>
			expect(readConsent(benShared.doc).results['round-1']).toMatchObject({
				proposalId,
				round: 1,
				counts: {
					akkoord: { gemeente: 1, inwoner: 0 },
					bezwaar: { inwoner: 1 },
					parkeren: { aanbieder: 1 }
				},
				notes: [
					{ answer: 'bezwaar', perspective: 'inwoner', text: REASON },
					{ answer: 'parkeren', perspective: 'aanbieder', text: NOTE }
				]
			})
		);
		// Now the group receives the reason, but never who gave it.
		await eventually(async () => expect(received(sockets)).toContain(REASON));
		expect(received(sockets)).not.toContain('Anna Objector');
		expect(received(sockets)).not.toContain(anna.id);

		// After the result is shown, no more answers.
		const late = connect(dirk.cookie, privateRoom(dirk.id));
		await late.synced();
		answerConsent(late.doc, 'round-1', { answer: 'akkoord', text: '', now: 4 });
		await eventually(async () => expect(refused(late)?.reason).toMatch(/not open/));

		// Consent means no bezwaar, and the server holds to it, whatever a console sends: a raw
		// facilitator client that adopts this proposal (and marks its card agreed) is refused...
		const control = (doc: Y.Doc) => doc.getMap('control');
		const proposalIn = (doc: Y.Doc, id: string) =>
			(control(doc).get('consent') as Y.Map<Y.Map<unknown>>).get(id)!;
		const rogue = connect(board.facilitator.cookie, shared);
		await rogue.synced();
		rogue.doc.transact(() => {
			proposalIn(rogue.doc, proposalId).set('status', 'adopted');
			proposalIn(rogue.doc, proposalId).set('decidedAt', 5);
			(control(rogue.doc).get('agreed') as Y.Map<boolean>).set('amb-1', true);
		});
		await eventually(async () =>
			expect(refused(rogue)?.reason).toMatch(/^rule: consent: cannot adopt \(has_objections\)/)
		);
		// ...and so is borrowing a result: pointing the proposal at a round that has one already.
		const borrower = connect(board.facilitator.cookie, shared);
		await borrower.synced();
		const otherId = proposeConsent(borrower.doc, {
			subject: 'ambition',
			cardIds: ['amb-3'],
			text: 'Een ander voorstel',
			now: 5,
			roundId: 'round-9'
		});
		proposalIn(borrower.doc, otherId).set('roundId', 'round-1');
		await eventually(async () =>
			expect(refused(borrower)?.reason).toMatch(/round that already has a result/)
		);
		// Nothing of either was stored: the proposal is still only shown, its card not agreed.
		const check = connect(dirk.cookie, shared);
		await check.synced();
		await server.realtime.flush();
		expect(readConsent(check.doc).proposals.find((p) => p.id === proposalId)?.status).toBe(
			'revealed'
		);
		expect((control(check.doc).get('agreed') as Y.Map<unknown>).get('amb-1')).toBeUndefined();
		// (The proposal itself was a change of its own, and allowed; its move was not.)
		expect(readConsent(check.doc).proposals.find((p) => p.id === otherId)?.roundId).toBe('round-9');

		// Without a bezwaar the server lets the facilitator's writer adopt a proposal.
		const secondId = otherId;
		await eventually(async () =>
			expect(readConsent(benShared.doc).proposals.map((p) => p.id)).toContain(secondId)
		);
		answerConsent(benOwn.doc, 'round-9', { answer: 'akkoord', text: '', now: 7 });
		const facOnBen = connect(board.facilitator.cookie, privateRoom(ben.id));
		await eventually(async () => expect(answerIn(facOnBen.doc, 'round-9')).toBeDefined());
		await server.realtime.flush();
		proposalIn(fac.doc, secondId).set('status', 'revealed');
		await eventually(async () =>
			expect(readConsent(fac.doc).results['round-9']?.counts.akkoord.gemeente).toBe(1)
		);
		adoptConsent(fac.doc, secondId, 8);
		await eventually(async () =>
			expect(readConsent(check.doc).proposals.find((p) => p.id === secondId)?.status).toBe(
				'adopted'
			)
		);
		expect((control(check.doc).get('agreed') as Y.Map<unknown>).get('amb-3')).toBe(true);
		expect(refused(fac)).toBeUndefined();
	});
});
