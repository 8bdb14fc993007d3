/**
 * The live-sessions owner's contract (tables `live_sessions`, `session_reopenings`), run on its Kysely form on SQLite and on a real
 * PostgreSQL (tests/services/databases.ts). live-sessions.spec.ts keeps what spans owners
 * (participants joining, typed codes, leaving) on the app context.
 */
import { describe, expect, it } from 'vitest';
import {
	openContract,
	type OpenTestDatabase,
	recordedEvents,
	useTestDatabases
} from '../../../tests/services/databases.ts';
import { isJoinCode } from './join-codes.ts';
import { createKyselyLiveSessions } from './live-sessions.kysely.ts';

const databases = useTestDatabases();

async function setup(open: OpenTestDatabase) {
	const { events, emitted } = recordedEvents([
		'liveSessionStarted',
		'joiningChanged',
		'liveSessionEnded',
		'liveSessionReopened'
	]);
	const {
		now,
		advance,
		users,
		trajectories,
		liveSessions: sessions
	} = await openContract(open, { start: Date.UTC(2026, 11, 1, 9), events });
	const user = await users.create({
		email: 'k@example.nl',
		name: 'Karin',
		kind: 'facilitator',
		passwordHash: 'x'
	});
	const trajectory = await trajectories.create(user.id, {
		municipality: 'Kampen',
		title: 'Sociaal domein',
		description: '',
		partners: [{ name: 'De Kern', perspective: 'aanbieder' }],
		themes: ['werk', 'wonen']
	});
	const [themeId, otherTheme] = trajectory.themes.map((t) => t.id);
	const plan = (title = 'Werk, tweede bijeenkomst', more: { date?: string; cycle?: number } = {}) =>
		sessions.create({
			trajectoryId: trajectory.id,
			themeId,
			title,
			date: more.date ?? '2026-12-01',
			cycle: more.cycle,
			createdBy: user.id,
			agenda: [
				{ step: 'ambition', minutes: 20 },
				{ step: 'outcomes', minutes: 45 }
			]
		});
	return {
		sessions,
		trajectories,
		users,
		plan,
		emitted,
		trajectoryId: trajectory.id,
		themeId,
		otherTheme,
		karin: { id: user.id, name: user.name },
		advance,
		now
	};
}

describe.each(databases)('live sessions (%s)', (_name, open) => {
	it('plans a session on the theme board of cycle 1 with a join code and agenda', async () => {
		const { sessions, plan, themeId, karin, now } = await setup(open);
		const session = await plan();
		expect(session).toMatchObject({
			boardId: `${themeId}.1`,
			cycle: 1,
			status: 'planned',
			joiningOpen: true,
			createdBy: karin.id,
			createdAt: now(),
			startedAt: null,
			endedAt: null
		});
		expect(isJoinCode(session.joinCode)).toBe(true);
		expect(session.agenda).toEqual([
			{ step: 'ambition', minutes: 20 },
			{ step: 'outcomes', minutes: 45 }
		]);
		expect(await sessions.get(session.id)).toEqual(session);
		expect(await sessions.get('nope')).toBeNull();
		expect((await sessions.byJoinCode(session.joinCode.toLowerCase()))?.id).toBe(session.id);
		expect(
			(await sessions.byJoinCode(`${session.joinCode.slice(0, 3)} ${session.joinCode.slice(3)}`))
				?.id
		).toBe(session.id);
		expect(await sessions.byJoinCode('not a code')).toBeNull();
		expect((await sessions.listForTheme(themeId)).map((s) => s.id)).toEqual([session.id]);
	});

	it('gives every session its own code, and lists the newest date first', async () => {
		const { sessions, plan, themeId, advance } = await setup(open);
		const planned = [];
		for (let i = 0; i < 20; i++) {
			advance(1);
			planned.push(
				await plan(`Sessie ${i}`, { date: `2026-12-${String((i % 5) + 1).padStart(2, '0')}` })
			);
		}
		expect(new Set(planned.map((s) => s.joinCode)).size).toBe(20);
		const listed = await sessions.listForTheme(themeId);
		const expected = [...planned].sort(
			(a, b) => b.date.localeCompare(a.date) || b.createdAt.getTime() - a.createdAt.getTime()
		);
		expect(listed.map((s) => s.id)).toEqual(expected.map((s) => s.id));
	});

	it('refuses a bad date, an empty title or an unknown step', async () => {
		const { sessions, trajectoryId, themeId } = await setup(open);
		await expect(
			sessions.create({ trajectoryId, themeId, title: 'x', date: '2026-02-30', agenda: [] })
		).rejects.toThrow(RangeError);
		await expect(
			sessions.create({ trajectoryId, themeId, title: ' ', date: '2026-02-03', agenda: [] })
		).rejects.toThrow(RangeError);
		await expect(
			sessions.create({
				trajectoryId,
				themeId,
				title: 'x',
				date: '2026-02-03',
				// @ts-expect-error an unknown step must be refused at runtime too
				agenda: [{ step: 'dance', minutes: 5 }]
			})
		).rejects.toThrow(RangeError);
		expect(await sessions.listForTheme(themeId)).toEqual([]);
	});

	it('starts and ends; the end closes joining and is announced', async () => {
		const { sessions, plan, emitted, now } = await setup(open);
		const session = await plan();
		const started = await sessions.start(session.id);
		expect(started).toMatchObject({ status: 'live', startedAt: now() });
		expect(await sessions.runningOnBoard(session.boardId)).toBe(true);
		expect(await sessions.runningOnBoard(session.boardId, session.id)).toBe(false);
		const ended = await sessions.end(session.id);
		expect(ended).toMatchObject({ status: 'ended', joiningOpen: false, endedAt: now() });
		expect(await sessions.hasEnded(session.id)).toBe(true);
		expect(await sessions.hasEnded('nope')).toBe(false);
		expect(await sessions.start(session.id)).toBeNull();
		expect(await sessions.end(session.id)).toBeNull();
		expect(emitted).toEqual([
			{
				name: 'liveSessionStarted',
				payload: { liveSessionId: session.id, boardId: session.boardId }
			},
			{ name: 'liveSessionEnded', payload: { liveSessionId: session.id, boardId: session.boardId } }
		]);
	});

	it('an end without a start counts as started then', async () => {
		const { sessions, plan, now } = await setup(open);
		const session = await plan();
		expect(await sessions.end(session.id)).toMatchObject({ startedAt: now(), endedAt: now() });
	});

	it('opens and closes joining until the end', async () => {
		const { sessions, plan, emitted } = await setup(open);
		const session = await plan();
		expect((await sessions.setJoiningOpen(session.id, false))?.joiningOpen).toBe(false);
		expect((await sessions.setJoiningOpen(session.id, true))?.joiningOpen).toBe(true);
		await sessions.end(session.id);
		expect(await sessions.setJoiningOpen(session.id, true)).toBeNull();
		expect(await sessions.setJoiningOpen('nope', true)).toBeNull();
		expect(emitted.filter((e) => e.name === 'joiningChanged').map((e) => e.payload)).toEqual([
			{ liveSessionId: session.id, boardId: session.boardId, open: false },
			{ liveSessionId: session.id, boardId: session.boardId, open: true }
		]);
	});

	it('closes the board at the end, and only a recorded reopening opens it again', async () => {
		const { sessions, plan, karin, emitted, advance, now } = await setup(open);
		const session = await plan();
		expect(await sessions.boardClosed(session.boardId)).toBe(false);
		await sessions.start(session.id);
		advance(60 * 60_000);
		await sessions.end(session.id);
		const endedAt = now();
		expect(await sessions.boardClosed(session.boardId)).toBe(true);
		expect(await sessions.reopen('nope', karin)).toEqual({ ok: false, reason: 'not-found' });

		advance(5 * 60_000);
		const result = await sessions.reopen(session.id, karin);
		expect(result.ok && result.session.status).toBe('live');
		expect(await sessions.boardClosed(session.boardId)).toBe(false);
		expect(await sessions.reopenings(session.id)).toEqual([
			expect.objectContaining({
				liveSessionId: session.id,
				userId: karin.id,
				userName: 'Karin',
				at: now(),
				endedAt
			})
		]);
		expect(emitted.at(-1)).toEqual({
			name: 'liveSessionReopened',
			payload: { liveSessionId: session.id, boardId: session.boardId, userId: karin.id }
		});
		// Joining stays closed until the facilitator opens it; a running session cannot be reopened.
		expect((await sessions.get(session.id))?.joiningOpen).toBe(false);
		expect(await sessions.reopen(session.id, karin)).toEqual({ ok: false, reason: 'not-ended' });
		await sessions.end(session.id);
		expect(await sessions.boardClosed(session.boardId)).toBe(true);
	});

	it('refuses a reopening while another session runs on the same board', async () => {
		const { sessions, plan, karin } = await setup(open);
		const first = await plan('Eerste');
		await sessions.end(first.id);
		const second = await plan('Tweede');
		await sessions.start(second.id);
		expect(await sessions.boardClosed(first.boardId)).toBe(false);
		expect(await sessions.reopen(first.id, karin)).toEqual({ ok: false, reason: 'other-running' });
		expect(await sessions.reopenings(first.id)).toEqual([]);
	});

	it('two sessions of one board reopened at once (two nodes): one is reopened, the other refused', async () => {
		const { sessions, plan, karin } = await setup(open);
		const first = await plan('Eerste');
		await sessions.end(first.id);
		const second = await plan('Tweede');
		await sessions.start(second.id);
		await sessions.end(second.id);
		const results = await Promise.all([
			sessions.reopen(first.id, karin),
			sessions.reopen(second.id, karin)
		]);
		expect(results.map((r) => (r.ok ? 'reopened' : r.reason)).sort()).toEqual([
			'other-running',
			'reopened'
		]);
		const reopenings = [
			...(await sessions.reopenings(first.id)),
			...(await sessions.reopenings(second.id))
		];
		expect(reopenings).toHaveLength(1);
	});

	it('knows cycles and the sessions of a board and a trajectory', async () => {
		const { sessions, plan, themeId, otherTheme, trajectoryId, advance } = await setup(open);
		expect(await sessions.maxCycle(themeId)).toBeNull();
		const one = await plan('Een');
		advance(1);
		const two = await plan('Twee', { cycle: 2 });
		advance(1);
		const three = await plan('Drie', { cycle: 2 });
		expect(two.boardId).toBe(`${themeId}.2`);
		expect(await sessions.maxCycle(themeId)).toBe(2);
		expect(await sessions.maxCycle(otherTheme)).toBeNull();
		expect(await sessions.idsOnBoard(`${themeId}.2`)).toEqual([two.id, three.id]);
		expect(await sessions.idsOfTrajectory(trajectoryId)).toEqual([one.id, two.id, three.id]);
		expect(await sessions.idsOfTrajectory('nope')).toEqual([]);
	});

	it('finds idle trajectories: last activity before the cutoff and nothing running', async () => {
		const { sessions, trajectories, plan, karin, advance, now, trajectoryId } = await setup(open);
		const quiet = await trajectories.create(karin.id, {
			municipality: 'Zwolle',
			title: 'Stil',
			description: '',
			partners: [],
			themes: ['x']
		});
		const old = await sessions.create({
			trajectoryId: quiet.id,
			themeId: quiet.themes[0].id,
			title: 'Oud',
			date: '2026-01-01',
			agenda: []
		});
		const session = await plan();
		await sessions.start(session.id);
		advance(10_000);
		const cutoff = now().getTime();
		// The running session keeps its trajectory out, whatever its age.
		expect(await sessions.idleTrajectories(cutoff)).toEqual([quiet.id]);
		await sessions.end(session.id);
		expect(await sessions.idleTrajectories(cutoff)).toEqual([quiet.id]);
		expect(await sessions.idleTrajectories(cutoff + 1)).toEqual([quiet.id, trajectoryId].sort());
		await sessions.start(old.id);
		expect(await sessions.idleTrajectories(cutoff + 1)).toEqual([trajectoryId]);
	});
});

describe.each(databases.filter(([name]) => name !== 'sqlite'))(
	'live sessions (%s): join codes across nodes',
	(_name, open) => {
		it('a code taken meanwhile (the unique index) is retried with a fresh one, 20 times at most', async () => {
			const database = await open();
			if (database.kind !== 'kysely') throw new Error('a Kysely database');
			const { plan, trajectoryId, themeId } = await setup(async () => database);
			const taken = (await plan()).joinCode;
			const codes = [taken, taken, 'FRESH2'];
			const sessions = createKyselyLiveSessions(
				database.db,
				() => new Date(),
				undefined,
				() => (codes.length > 1 ? (codes.shift() as string) : codes[0])
			);
			const input = { trajectoryId, themeId, title: 'Nog een', date: '2026-12-02', agenda: [] };
			expect((await sessions.create(input)).joinCode).toBe('FRESH2');
			let tries = 0;
			const always = createKyselyLiveSessions(
				database.db,
				() => new Date(),
				undefined,
				() => {
					tries++;
					return taken;
				}
			);
			await expect(always.create(input)).rejects.toThrow();
			expect(tries).toBe(20);
			expect((await sessions.listForTheme(themeId)).map((s) => s.title).sort()).toEqual([
				'Nog een',
				'Werk, tweede bijeenkomst'
			]);
		});
	}
);
