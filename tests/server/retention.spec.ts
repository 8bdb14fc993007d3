/**
 * Retention: after KOMPAS_RETENTION_DAYS since a trajectory's last session, its participants' names
 * and organisations are anonymised, in the database and in the boards (live and stored alike), while
 * what was agreed stays. The job runs at start and then daily, on a fake clock here.
 */
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openApp } from './helpers/backends.ts';
import { startServer, type TestServer } from './helpers/start-server.ts';
import * as fx from './helpers/fixtures.ts';
import { client, eventually, type TestClient } from './helpers/clients.ts';
import {
	addCard,
	addComment,
	addDraft,
	markAgreed,
	mergeCards,
	readCards,
	readComments,
	readControl,
	setPrivate
} from '../../src/lib/board/schema/index.ts';
import { anonymiseExpired, startRetentionJob } from '../../src/lib/server/retention.ts';

const DAY = 24 * 60 * 60 * 1000;
let server: TestServer | null = null;
const open: TestClient[] = [];
afterEach(async () => {
	for (const c of open.splice(0)) c.destroy();
	await server?.close();
	server = null;
});
const connect = (room: string, cookie: string) => {
	const c = client(server!, room, cookie);
	open.push(c);
	return c;
};

it('anonymises participants of trajectories idle beyond the retention, in the database and on the boards', async () => {
	server = await startServer();
	const app = server.app;
	const sessions = app.liveSessions;
	const old = await fx.board(app);
	const recent = await fx.board(app);
	const anna = await fx.participant(app, old, 'inwoner', 'Anna de Vries');
	const bram = await fx.participant(app, old, 'aanbieder', 'Bram Bakker');
	const cees = await fx.participant(app, recent, 'gemeente', 'Cees Kok');
	for (const b of [old, recent]) await sessions.start(b.liveSessionId);

	// Anna and Bram write; the facilitator merges Bram's card into Anna's and marks it agreed.
	const a = connect(`board/${old.boardId}`, anna.cookie);
	const b = connect(`board/${old.boardId}`, bram.cookie);
	const f = connect(`board/${old.boardId}`, old.facilitator.cookie);
	await Promise.all([a.synced(), b.synced(), f.synced()]);
	const annaCard = addCard(a.doc, {
		kind: 'situation',
		text: 'Jongeren vinden geen leerwerkplek',
		author: { id: anna.id, name: anna.name, perspective: 'inwoner' }
	});
	const bramCard = addCard(b.doc, {
		kind: 'situation',
		text: 'Te weinig leerwerkplekken',
		author: { id: bram.id, name: bram.name, perspective: 'aanbieder' }
	});
	await eventually(() => expect(readCards(f.doc)).toHaveLength(2));
	addComment(a.doc, {
		cardId: bramCard,
		text: 'Herkenbaar',
		author: { id: anna.id, name: anna.name, perspective: 'inwoner' }
	});
	mergeCards(f.doc, annaCard, [bramCard]);
	markAgreed(f.doc, annaCard);
	// Anna's private draft (a private step).
	const priv = connect(`private/${old.boardId}/${anna.id}`, anna.cookie);
	await priv.synced();
	await eventually(() => expect(readComments(f.doc)).toHaveLength(1));
	await eventually(() =>
		expect(readCards(f.doc).find((c) => c.id === annaCard)?.coAuthors).toEqual(['Bram Bakker'])
	);
	setPrivate(f.doc, 'ambition');
	await eventually(() => expect(readControl(a.doc).privateSteps).toContain('ambition'));
	addDraft(priv.doc, {
		kind: 'situation',
		text: 'Nog niet gedeeld',
		author: { id: anna.id, name: anna.name, perspective: 'inwoner' }
	});
	const watcher = connect(`private/${old.boardId}/${anna.id}`, old.facilitator.cookie);
	await eventually(() =>
		expect(JSON.stringify(watcher.doc.getMap('drafts').toJSON())).toContain('Nog niet gedeeld')
	);
	await server.realtime.flush();
	// The recent trajectory's session ends later (below): at +364 days neither is idle long enough.
	await sessions.end(old.liveSessionId);
	const endedAt = Date.now();

	const docs = { list: server.realtime.listDocs, edit: server.realtime.editDoc };
	// Not yet: 364 days later nothing changes.
	const early = await anonymiseExpired({
		app,
		docs,
		days: 365,
		now: () => new Date(endedAt + 364 * DAY)
	});
	expect(early.participants).toBe(0);

	// A year and a day later: the old trajectory only (the recent one had a later session, ended
	// 300 days after the old one: by a context whose clock says so, behind the server's back).
	const later = await openApp(server.storage, () => new Date(endedAt + 300 * DAY));
	await later.liveSessions.end(recent.liveSessionId);
	await later.close();
	const done = await anonymiseExpired({
		app,
		docs,
		days: 365,
		now: () => new Date(endedAt + 366 * DAY)
	});
	expect(done).toMatchObject({ trajectories: [old.trajectoryId], participants: 2 });
	const people = await app.participants.list(old.liveSessionId);
	expect(people.map((p) => [p.name, p.organisation]).sort()).toEqual([
		['deelnemer (aanbieder)', ''],
		['deelnemer (inwoner)', '']
	]);
	expect((await app.participants.list(recent.liveSessionId))[0].name).toBe('Cees Kok');
	void cees;

	// Live: the facilitator still looking at the board sees the new bylines at once.
	const expectAnonymous = (doc: Y.Doc) => {
		const card = readCards(doc).find((c) => c.id === annaCard)!;
		expect(card.text).toBe('Jongeren vinden geen leerwerkplek');
		expect(card.authorName).toBe('deelnemer (inwoner)');
		expect(card.coAuthors).toEqual(['deelnemer (aanbieder)']);
		expect(readCards(doc).find((c) => c.id === bramCard)?.authorName).toBe('deelnemer (aanbieder)');
		expect(readComments(doc)[0].authorName).toBe('deelnemer (inwoner)');
		expect(readControl(doc).agreed).toContain(annaCard);
		expect(
			JSON.stringify([doc.getMap('cards').toJSON(), doc.getMap('comments').toJSON()])
		).not.toMatch(/Anna|Bram/);
	};
	await eventually(() => expectAnonymous(f.doc));
	// Stored: what a fresh load (exports, a restart) reads.
	await server.realtime.flush();
	const stored = await app.boards.snapshot(old.boardId, 'Thuis');
	expect(JSON.stringify(stored)).not.toMatch(/Anna|Bram/);
	const fresh = connect(`board/${old.boardId}`, old.facilitator.cookie);
	await fresh.synced();
	expectAnonymous(fresh.doc);
	const privFresh = connect(`private/${old.boardId}/${anna.id}`, old.facilitator.cookie);
	await privFresh.synced();
	expect(JSON.stringify(privFresh.doc.getMap('drafts').toJSON())).toContain('deelnemer (inwoner)');
	expect(JSON.stringify(privFresh.doc.getMap('drafts').toJSON())).not.toContain('Anna');

	// Once done, nothing is left to do.
	expect(
		(
			await anonymiseExpired({
				app,
				docs,
				days: 365,
				now: () => new Date(endedAt + 400 * DAY)
			})
		).participants
	).toBe(0);
});

it('runs the job at start and then every interval, on a timer it can stop', async () => {
	const runs: number[] = [];
	let tick: (() => void) | null = null;
	let cancelled = false;
	const job = startRetentionJob({
		run: async () => {
			runs.push(runs.length);
		},
		intervalMs: DAY,
		timer: {
			every(ms, fn) {
				expect(ms).toBe(DAY);
				tick = fn;
				return 'handle';
			},
			cancel(handle) {
				expect(handle).toBe('handle');
				cancelled = true;
			}
		}
	});
	await job.running();
	expect(runs).toEqual([0]);
	tick!();
	await job.running();
	tick!();
	await job.running();
	expect(runs).toEqual([0, 1, 2]);
	job.stop();
	expect(cancelled).toBe(true);
});

it('uses an unref-ed daily timer by default, and reports failures without stopping', async () => {
	const errors: unknown[] = [];
	const job = startRetentionJob({
		run: async () => {
			throw new Error('disk full');
		},
		onError: (error) => errors.push(error)
	});
	await job.running();
	expect(errors).toHaveLength(1);
	job.stop();
});
