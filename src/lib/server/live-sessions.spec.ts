/**
 * What spans the live-session and participant owners (typed codes, board info), on the app context
 * (SQLite in memory). The owners' own contracts, on every backend, are
 * live-sessions.contract.spec.ts and participants.spec.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppContext, type AppContext } from './context.ts';
import { createLimiter } from './auth/rate-limit.ts';
import { lookupJoinCode } from './join-codes.ts';

let app: AppContext;
let trajectoryId: string;
let themeId: string;

const plan = (title = 'Werk, tweede bijeenkomst') =>
	app.liveSessions.create({
		trajectoryId,
		themeId,
		title,
		date: '2026-12-01',
		agenda: [
			{ step: 'ambition', minutes: 20 },
			{ step: 'outcomes', minutes: 45 }
		]
	});

const person = { name: 'Fatima', organisation: 'De Kern', perspective: 'aanbieder' as const };

beforeEach(async () => {
	app = await createAppContext(
		{ dataDir: ':memory:', secureCookies: false, origin: null },
		() => new Date(Date.UTC(2026, 11, 1, 9))
	);
	const user = await app.users.create({
		email: 'k@example.nl',
		name: 'Karin',
		kind: 'facilitator',
		passwordHash: 'x'
	});
	const trajectory = await app.trajectories.create(user.id, {
		municipality: 'Kampen',
		title: 'Sociaal domein',
		description: '',
		partners: [{ name: 'De Kern', perspective: 'aanbieder' }],
		themes: ['werk']
	});
	trajectoryId = trajectory.id;
	themeId = trajectory.themes[0].id;
});

afterEach(async () => {
	await app.close();
});

describe('boards', () => {
	it('tells which theme and trajectory a board belongs to', async () => {
		expect(await app.boards.info(`${themeId}.1`)).toEqual({
			boardId: `${themeId}.1`,
			themeId,
			themeName: 'werk',
			trajectoryId,
			cycle: 1
		});
		expect(await app.boards.info('unknown.1')).toBeNull();
		expect(await app.boards.info('no-cycle')).toBeNull();
	});
});

describe('looking up a typed code', () => {
	it('finds the session in any case, counts only misses, and blocks an IP after too many', async () => {
		const session = await plan();
		const limiter = createLimiter(3, 1, `test-${Math.random()}`);
		const deps = { liveSessions: app.liveSessions, limiter };
		for (let i = 0; i < 5; i++) {
			const hit = await lookupJoinCode(deps, session.joinCode.toLowerCase(), '10.0.0.1');
			expect(hit.ok && hit.session.id).toBe(session.id);
		}
		expect(await lookupJoinCode(deps, 'ABC', '10.0.0.1')).toEqual({ ok: false, reason: 'invalid' });
		expect(await lookupJoinCode(deps, 'ZZZZZZ', '10.0.0.1')).toEqual({
			ok: false,
			reason: 'not-found'
		});
		const third = await lookupJoinCode(deps, 'YYYYYY', '10.0.0.1');
		expect(third.ok).toBe(false);
		const blocked = await lookupJoinCode(deps, session.joinCode, '10.0.0.1');
		expect(blocked).toMatchObject({ ok: false, reason: 'rate-limited' });
		expect(
			!blocked.ok && blocked.reason === 'rate-limited' && blocked.retryAfterSeconds
		).toBeGreaterThan(0);
		// Another address is not affected.
		expect((await lookupJoinCode(deps, session.joinCode, '10.0.0.2')).ok).toBe(true);
	});

	it('lets 400 people behind one address join, while guesses from that address stay limited', async () => {
		const session = await plan();
		const limiter = createLimiter(30, 60, `test-${Math.random()}`);
		const deps = { liveSessions: app.liveSessions, limiter };
		const venue = 'ip:192.0.2.7';
		// A few people mistype the code on the way in; everyone gets in.
		for (let i = 0; i < 400; i++) {
			if (i % 20 === 0)
				expect(await lookupJoinCode(deps, 'ZZZZZZ', venue)).toMatchObject({ reason: 'not-found' });
			const found = await lookupJoinCode(deps, session.joinCode, venue);
			expect(found.ok).toBe(true);
			await app.participants.join({ liveSessionId: session.id, ...person, name: `Deelnemer ${i}` });
		}
		expect(await app.participants.list(session.id)).toHaveLength(400);
		// Guessing from that address is still cut off after 30 misses.
		const guesses = [];
		for (let i = 0; i < 20; i++) guesses.push(await lookupJoinCode(deps, 'YYYYYY', venue));
		expect(guesses.filter((g) => !g.ok && g.reason === 'rate-limited').length).toBe(10);
		// A signed-in facilitator's typos are counted on the account, not on the venue.
		expect((await lookupJoinCode(deps, session.joinCode, 'user:facilitator')).ok).toBe(true);
	});
});
