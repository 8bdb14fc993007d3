/**
 * What spans the live-session and participant owners (joining, typed codes, leaving), on the
 * synchronous repositories. The live-sessions owner's own contract, on every backend, is
 * live-sessions.contract.spec.ts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createDb, type Db } from './db/open.ts';
import { createTrajectories } from './trajectories.ts';
import { createUsers } from './users.ts';
import { createEvents, type KompasEvents } from './events.ts';
import { createLimiter } from './auth/rate-limit.ts';
import { hashToken } from './auth/tokens.ts';
import { lookupJoinCode } from './join-codes.ts';
import { createLiveSessions, type LiveSessions } from './live-sessions.ts';
import { createParticipants, JoinError, type Participants } from './participants.ts';
import { createBoards, type Boards } from './boards.ts';
import { createMemoryStore } from './updates/store.memory.ts';
import { createMemoryClientOwners } from './updates/client-owners.ts';

let db: Db;
let clock: number;
let sessions: LiveSessions;
let participants: Participants;
let boards: Boards;
let trajectoryId: string;
let themeId: string;
let emitted: { name: keyof KompasEvents; payload: unknown }[];

const plan = (title = 'Werk, tweede bijeenkomst') =>
	sessions.create({
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

beforeEach(() => {
	db = createDb(':memory:');
	clock = Date.UTC(2026, 11, 1, 9);
	const now = () => new Date(clock);
	const users = createUsers(db, now);
	const user = users.create({
		email: 'k@example.nl',
		name: 'Karin',
		kind: 'facilitator',
		passwordHash: 'x'
	});
	const trajectories = createTrajectories(db, users, now);
	const trajectory = trajectories.create(user.id, {
		municipality: 'Kampen',
		title: 'Sociaal domein',
		description: '',
		partners: [{ name: 'De Kern', perspective: 'aanbieder' }],
		themes: ['werk']
	});
	trajectoryId = trajectory.id;
	themeId = trajectory.themes[0].id;
	const events = createEvents();
	emitted = [];
	for (const name of [
		'participantRevoked',
		'joiningChanged',
		'liveSessionEnded',
		'liveSessionReopened'
	] as const)
		events.on(name, (payload) => emitted.push({ name, payload }));
	sessions = createLiveSessions(db, now, events);
	participants = createParticipants(db, sessions, now, events);
	boards = createBoards({
		updates: createMemoryStore(),
		owners: createMemoryClientOwners(),
		themes: trajectories.themes,
		sessions
	});
});

describe('participants', () => {
	it('joins with a token that is stored only as its hash and authenticates', () => {
		const session = plan();
		const { token, participant } = participants.join({
			liveSessionId: session.id,
			...person
		});
		expect(participant).toMatchObject({
			name: 'Fatima',
			organisation: 'De Kern',
			perspective: 'aanbieder'
		});
		const stored = db
			.prepare('SELECT token_hash FROM participants WHERE id = ?')
			.get(participant.id) as {
			token_hash: string;
		};
		expect(stored.token_hash).toBe(hashToken(token));
		expect(JSON.stringify(db.prepare('SELECT * FROM participants').all())).not.toContain(token);
		expect(participants.authenticate(token)).toEqual({
			id: participant.id,
			liveSessionId: session.id,
			boardId: session.boardId,
			trajectoryId,
			name: 'Fatima',
			organisation: 'De Kern',
			perspective: 'aanbieder'
		});
		expect(participants.authenticate('not-a-token')).toBeNull();
	});

	it('restores the same identity when the same device rejoins the same session', () => {
		const session = plan();
		const first = participants.join({ liveSessionId: session.id, ...person });
		const again = participants.join({
			liveSessionId: session.id,
			name: 'Someone else',
			organisation: 'Other',
			perspective: 'inwoner',
			deviceToken: first.token
		});
		expect(again.token).toBe(first.token);
		expect(again.participant.id).toBe(first.participant.id);
		expect(again.participant.name).toBe('Fatima');
		expect(participants.list(session.id)).toHaveLength(1);
	});

	it('creates a new identity for a device token of another session', () => {
		const a = plan('A');
		const b = plan('B');
		const inA = participants.join({ liveSessionId: a.id, ...person });
		const inB = participants.join({
			liveSessionId: b.id,
			...person,
			deviceToken: inA.token
		});
		expect(inB.participant.id).not.toBe(inA.participant.id);
		expect(inB.token).not.toBe(inA.token);
		expect(participants.authenticate(inB.token)?.liveSessionId).toBe(b.id);
	});

	it('refuses new people while joining is closed, but lets a known device back in', () => {
		const session = plan();
		const known = participants.join({ liveSessionId: session.id, ...person });
		expect(sessions.setJoiningOpen(session.id, false)?.joiningOpen).toBe(false);
		expect(emitted).toContainEqual({
			name: 'joiningChanged',
			payload: { liveSessionId: session.id, boardId: session.boardId, open: false }
		});
		expect(() => participants.join({ liveSessionId: session.id, ...person })).toThrow(
			expect.objectContaining({ reason: 'closed' })
		);
		expect(
			participants.join({ liveSessionId: session.id, ...person, deviceToken: known.token })
				.participant.id
		).toBe(known.participant.id);
		sessions.setJoiningOpen(session.id, true);
		expect(participants.join({ liveSessionId: session.id, ...person }).participant.id).not.toBe(
			known.participant.id
		);
	});

	it('refuses everyone once the session has ended', () => {
		const session = plan();
		const known = participants.join({ liveSessionId: session.id, ...person });
		sessions.end(session.id);
		for (const deviceToken of [undefined, known.token]) {
			let error: unknown;
			try {
				participants.join({ liveSessionId: session.id, ...person, deviceToken });
			} catch (e) {
				error = e;
			}
			expect(error).toBeInstanceOf(JoinError);
			expect((error as JoinError).reason).toBe('ended');
		}
		expect(sessions.setJoiningOpen(session.id, true)).toBeNull();
	});

	it('revokes a removed participant, announces it, and keeps them out', () => {
		const session = plan();
		const gone = participants.join({ liveSessionId: session.id, ...person });
		const stays = participants.join({ liveSessionId: session.id, ...person, name: 'Jan' });
		expect(participants.remove(session.id, gone.participant.id)).toBe(true);
		expect(participants.authenticate(gone.token)).toBeNull();
		expect(participants.authenticate(stays.token)?.name).toBe('Jan');
		expect(emitted).toContainEqual({
			name: 'participantRevoked',
			payload: { participantId: gone.participant.id, boardId: session.boardId }
		});
		expect(
			participants.list(session.id).find((p) => p.id === gone.participant.id)?.revokedAt
		).not.toBeNull();
		expect(() =>
			participants.join({ liveSessionId: session.id, ...person, deviceToken: gone.token })
		).toThrow(expect.objectContaining({ reason: 'removed' }));
		// A second removal, or one in the wrong session, changes nothing.
		expect(participants.remove(session.id, gone.participant.id)).toBe(false);
		expect(participants.remove(plan('Other').id, stays.participant.id)).toBe(false);
		expect(emitted.filter((e) => e.name === 'participantRevoked')).toHaveLength(1);
	});

	it('lets people join without an organisation, and finds a device in its session', () => {
		const session = plan();
		const { token, participant } = participants.join({
			liveSessionId: session.id,
			...person,
			organisation: '  '
		});
		expect(participant.organisation).toBe('');
		expect(participants.byDevice(session.id, token)?.id).toBe(participant.id);
		expect(participants.byDevice(plan('Other').id, token)).toBeNull();
		expect(participants.byDevice(session.id, null)).toBeNull();
	});

	it('tells which theme and trajectory a board belongs to', () => {
		expect(boards.info(`${themeId}.1`)).toEqual({
			boardId: `${themeId}.1`,
			themeId,
			themeName: 'werk',
			trajectoryId,
			cycle: 1
		});
		expect(boards.info('unknown.1')).toBeNull();
		expect(boards.info('no-cycle')).toBeNull();
	});

	it('validates names and perspectives', () => {
		const session = plan();
		expect(() => participants.join({ liveSessionId: session.id, ...person, name: '  ' })).toThrow(
			RangeError
		);
		expect(() =>
			participants.join({
				liveSessionId: session.id,
				...person,
				// @ts-expect-error an unknown perspective must be refused at runtime too
				perspective: 'king'
			})
		).toThrow(RangeError);
		expect(() => participants.join({ liveSessionId: 'nope', ...person })).toThrow(
			expect.objectContaining({ reason: 'not-found' })
		);
	});
});

describe('looking up a typed code', () => {
	it('finds the session in any case, counts only misses, and blocks an IP after too many', async () => {
		const session = plan();
		const limiter = createLimiter(3, 1, `test-${Math.random()}`);
		const deps = { liveSessions: sessions, limiter };
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
		const session = plan();
		const limiter = createLimiter(30, 60, `test-${Math.random()}`);
		const deps = { liveSessions: sessions, limiter };
		const venue = 'ip:192.0.2.7';
		// A few people mistype the code on the way in; everyone gets in.
		for (let i = 0; i < 400; i++) {
			if (i % 20 === 0)
				expect(await lookupJoinCode(deps, 'ZZZZZZ', venue)).toMatchObject({ reason: 'not-found' });
			const found = await lookupJoinCode(deps, session.joinCode, venue);
			expect(found.ok).toBe(true);
			participants.join({ liveSessionId: session.id, ...person, name: `Deelnemer ${i}` });
		}
		expect(participants.list(session.id)).toHaveLength(400);
		// Guessing from that address is still cut off after 30 misses.
		const guesses = [];
		for (let i = 0; i < 20; i++) guesses.push(await lookupJoinCode(deps, 'YYYYYY', venue));
		expect(guesses.filter((g) => !g.ok && g.reason === 'rate-limited').length).toBe(10);
		// A signed-in facilitator's typos are counted on the account, not on the venue.
		expect((await lookupJoinCode(deps, session.joinCode, 'user:facilitator')).ok).toBe(true);
	});
});

describe('leaving ("Verlaten")', () => {
	it('ends the device identity at once; what was shared stays, rejoining starts afresh', () => {
		const session = plan();
		const { token, participant } = participants.join({
			liveSessionId: session.id,
			...person
		});
		expect(participants.authenticate(token)?.id).toBe(participant.id);
		const left = participants.leave(token);
		expect(left?.leftAt).toEqual(new Date(clock));
		expect(participants.authenticate(token)).toBeNull();
		expect(participants.byToken(token)).toBeNull();
		expect(participants.byDevice(session.id, token)).toBeNull();
		expect(participants.leave(token)).toBeNull();
		// Still listed (their cards carry their name), marked as left.
		expect(participants.list(session.id)).toEqual([
			expect.objectContaining({ id: participant.id, leftAt: new Date(clock), revokedAt: null })
		]);
		const again = participants.join({
			liveSessionId: session.id,
			...person,
			deviceToken: token
		});
		expect(again.participant.id).not.toBe(participant.id);
	});
});
