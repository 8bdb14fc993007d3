/**
 * The live glossary through the real server: seeded from the trajectory's glossary when a board
 * loads, readings proposed by participants for their own perspective only, terms and agreement
 * by facilitators only (refusals close with 4403 and store nothing), and every accepted change
 * written back to the trajectory's glossary and passed on to its other loaded boards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	proposeReading,
	readGlossary,
	updateReading,
	updateTerm,
	type Author
} from '../../src/lib/board/schema/index.ts';
import { anonymiseExpired } from '../../src/lib/server/retention.ts';
import { startServer, type TestServer } from './helpers/start-server.ts';
import * as fx from './helpers/fixtures.ts';
import { client, eventually, type TestClient } from './helpers/clients.ts';

let server: TestServer;
let board: fx.BoardFixture;
let room: string;
let facilitator: TestClient;
let termId: string;
const open: TestClient[] = [];

const connect = async (cookie: string, target = room) => {
	const c = client(server, target, cookie);
	open.push(c);
	await c.synced();
	return c;
};

/** Waits for the refusal close (4403) on `c`, then stops it from reconnecting. */
async function refused(c: TestClient) {
	await eventually(async () => expect(c.closes.some((e) => e.code === 4403)).toBe(true));
	c.destroy();
}

const stored = async () => await server.app.trajectories.glossary.list(board.trajectoryId);
const readingsIn = (doc: Y.Doc) => readGlossary(doc).flatMap((t) => t.readings);
const author = (p: fx.Person & { perspective: Author['perspective'] }): Author => ({
	id: p.id,
	name: p.name,
	perspective: p.perspective
});

beforeAll(async () => {
	server = await startServer();
	board = await fx.board(server.app);
	room = `board/${board.boardId}`;
	termId = (
		await server.app.trajectories.glossary.add(board.trajectoryId, {
			term: 'preventie',
			definition: '',
			readings: [{ perspective: 'gemeente', text: 'Een besparing op de kosten.', authorName: '' }]
		})
	).id;
	facilitator = await connect(board.facilitator.cookie);
});
afterAll(async () => {
	for (const c of open) c.destroy();
	await server.close();
});

describe('the live glossary', () => {
	it("is seeded from the trajectory's glossary when the board loads", () => {
		const [term] = readGlossary(facilitator.doc);
		expect(term).toMatchObject({ id: termId, term: 'preventie', status: 'open' });
		expect(term.readings.map((r) => [r.perspective, r.text])).toEqual([
			['gemeente', 'Een besparing op de kosten.']
		]);
	});

	it("takes a participant's reading for their own perspective, stores it for the trajectory and passes it to its other boards", async () => {
		// A second theme of the same trajectory, open at the same time.
		const theme = await server.app.trajectories.themes.add(board.trajectoryId, 'Meedoen');
		const other = await server.app.liveSessions.create({
			trajectoryId: board.trajectoryId,
			themeId: theme.id,
			title: 'Bijeenkomst 2',
			date: '2026-11-24',
			agenda: []
		});
		const otherBoard = await connect(board.facilitator.cookie, `board/${other.boardId}`);
		expect(readGlossary(otherBoard.doc).map((t) => t.term)).toEqual(['preventie']);

		const bram = await fx.participant(server.app, board, 'aanbieder', 'Bram');
		const phone = await connect(bram.cookie);
		const id = proposeReading(phone.doc, {
			termId,
			text: 'Voorkomen dat mensen eenzaam worden.',
			author: author(bram)
		});
		await eventually(async () =>
			expect(readingsIn(facilitator.doc).find((r) => r.id === id)).toMatchObject({
				perspective: 'aanbieder',
				authorId: bram.id,
				authorName: 'Bram'
			})
		);
		expect((await stored())[0].readings.find((r) => r.id === id)?.text).toBe(
			'Voorkomen dat mensen eenzaam worden.'
		);
		await eventually(async () =>
			expect(readingsIn(otherBoard.doc).some((r) => r.id === id)).toBe(true)
		);
		// Their own reading they may change.
		updateReading(phone.doc, id, 'Minder eenzaamheid.');
		await eventually(async () =>
			expect((await stored())[0].readings.find((r) => r.id === id)?.text).toBe(
				'Minder eenzaamheid.'
			)
		);
	});

	it('refuses a reading for another perspective (4403) and stores nothing', async () => {
		const anouk = await fx.participant(server.app, board, 'inwoner', 'Anouk');
		const phone = await connect(anouk.cookie);
		proposeReading(phone.doc, {
			termId,
			text: 'Namens de gemeente',
			author: { ...author(anouk), perspective: 'gemeente' },
			id: 'wrong-perspective'
		});
		await refused(phone);
		const check = await connect(board.facilitator.cookie);
		expect(readingsIn(check.doc).some((r) => r.id === 'wrong-perspective')).toBe(false);
		expect((await stored())[0].readings.some((r) => r.id === 'wrong-perspective')).toBe(false);
	});

	it("refuses a change to someone else's reading (4403) and keeps the reading as it was", async () => {
		const target = (await stored())[0].readings.find((r) => r.perspective === 'gemeente');
		if (!target) throw new Error('no reading');
		const mallory = await fx.participant(server.app, board, 'gemeente', 'Mallory');
		const phone = await connect(mallory.cookie);
		updateReading(phone.doc, target.id, 'Overschreven');
		await refused(phone);
		expect((await stored())[0].readings.find((r) => r.id === target.id)?.text).toBe(target.text);
		expect(readingsIn(facilitator.doc).find((r) => r.id === target.id)?.text).toBe(target.text);
	});

	it('refuses the agreed meaning and status from a participant (4403) and stores nothing', async () => {
		const eve = await fx.participant(server.app, board, 'professional', 'Eve');
		const phone = await connect(eve.cookie);
		updateTerm(phone.doc, termId, { meaning: 'Wat Eve vindt', status: 'agreed' });
		await refused(phone);
		const check = await connect(board.facilitator.cookie);
		expect(readGlossary(check.doc)[0]).toMatchObject({ meaning: '', status: 'open' });
		expect((await stored())[0]).toMatchObject({ meaning: '', status: 'open' });
	});

	it('lets the facilitator agree on a meaning, and stores it for the trajectory', async () => {
		updateTerm(facilitator.doc, termId, {
			meaning: 'Voorkomen dat inwoners zware zorg nodig hebben.',
			status: 'agreed'
		});
		await eventually(async () =>
			expect((await stored())[0]).toMatchObject({
				meaning: 'Voorkomen dat inwoners zware zorg nodig hebben.',
				status: 'agreed'
			})
		);
	});

	it('brings a change on the trajectory page to the loaded board', async () => {
		await server.app.trajectories.glossary.add(board.trajectoryId, {
			term: 'eigen kracht',
			definition: ''
		});
		server.app.events.emit('glossaryChanged', { trajectoryId: board.trajectoryId });
		await eventually(async () =>
			expect(readGlossary(facilitator.doc).map((t) => t.term)).toEqual([
				'preventie',
				'eigen kracht'
			])
		);
	});
});

describe('retention', () => {
	it("anonymises a participant's readings in the trajectory's glossary and on the board", async () => {
		const DAY = 86_400_000;
		const old = await fx.board(server.app);
		const sessions = server.app.liveSessions;
		await sessions.start(old.liveSessionId);
		const id = (
			await server.app.trajectories.glossary.add(old.trajectoryId, {
				term: 'eigen kracht',
				definition: ''
			})
		).id;
		const anna = await fx.participant(server.app, old, 'inwoner', 'Anna de Vries');
		const phone = await connect(anna.cookie, `board/${old.boardId}`);
		const view = await connect(old.facilitator.cookie, `board/${old.boardId}`);
		proposeReading(phone.doc, { termId: id, text: 'Zelf doen wat je kunt', author: author(anna) });
		await eventually(async () =>
			expect(
				(await server.app.trajectories.glossary.list(old.trajectoryId))[0].readings
			).toHaveLength(1)
		);
		await sessions.end(old.liveSessionId);
		await anonymiseExpired({
			app: server.app,
			docs: { list: server.realtime.listDocs, edit: server.realtime.editDoc },
			days: 1,
			now: () => new Date(Date.now() + 2 * DAY)
		});
		const [reading] = (await server.app.trajectories.glossary.list(old.trajectoryId))[0].readings;
		expect(reading).toMatchObject({
			text: 'Zelf doen wat je kunt',
			authorName: 'deelnemer (inwoner)'
		});
		await eventually(async () =>
			expect(readingsIn(view.doc)[0]?.authorName).toBe('deelnemer (inwoner)')
		);
	});
});
