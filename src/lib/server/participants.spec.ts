/**
 * The participants owner's contract, run on its Kysely
 * form on SQLite and on a real PostgreSQL (tests/services/databases.ts); moved from
 * live-sessions.spec.ts and extended.
 */
import { describe, expect, it } from 'vitest';
import {
	openContract,
	type OpenTestDatabase,
	recordedEvents,
	useTestDatabases
} from '../../../tests/services/databases.ts';
import { hashToken } from './auth/tokens.ts';
import { JoinError } from './participants.ts';

const databases = useTestDatabases();
const person = { name: 'Fatima', organisation: 'De Kern', perspective: 'aanbieder' as const };

async function setup(open: OpenTestDatabase) {
	const { events, emitted } = recordedEvents([
		'participantRevoked',
		'participantLeft',
		'joiningChanged'
	]);
	const { sql, now, advance, users, trajectories, liveSessions, participants } = await openContract(
		open,
		{ start: Date.UTC(2026, 11, 1, 9), events }
	);
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
		partners: [],
		themes: ['werk']
	});
	const plan = (title = 'Werk', cycle = 1) =>
		liveSessions.create({
			trajectoryId: trajectory.id,
			themeId: trajectory.themes[0].id,
			title,
			date: '2026-12-01',
			cycle,
			agenda: []
		});
	return {
		sql,
		sessions: liveSessions,
		participants,
		plan,
		emitted,
		trajectoryId: trajectory.id,
		advance,
		now
	};
}

describe.each(databases)('participants (%s)', (_name, open) => {
	it('joins with a token that is stored only as its hash and authenticates', async () => {
		const { sql, participants, plan, trajectoryId, now } = await setup(open);
		const session = await plan();
		const { token, participant } = await participants.join({
			liveSessionId: session.id,
			...person
		});
		expect(participant).toEqual({
			id: participant.id,
			liveSessionId: session.id,
			...person,
			joinedAt: now(),
			revokedAt: null,
			leftAt: null
		});
		expect(await sql('SELECT token_hash FROM participants')).toEqual([
			{ token_hash: hashToken(token) }
		]);
		expect(JSON.stringify(await sql('SELECT * FROM participants'))).not.toContain(token);
		const identity = {
			id: participant.id,
			liveSessionId: session.id,
			boardId: session.boardId,
			trajectoryId,
			...person
		};
		expect(await participants.authenticate(token)).toEqual(identity);
		expect(await participants.byToken(token)).toEqual({ ...identity, revoked: false });
		expect(await participants.authenticate('not-a-token')).toBeNull();
		expect(await participants.authenticate('')).toBeNull();
		expect(await participants.list(session.id)).toEqual([participant]);
	});

	it('restores the same identity when the same device rejoins the same session', async () => {
		const { participants, plan } = await setup(open);
		const session = await plan();
		const first = await participants.join({ liveSessionId: session.id, ...person });
		const again = await participants.join({
			liveSessionId: session.id,
			name: 'Someone else',
			organisation: 'Other',
			perspective: 'inwoner',
			deviceToken: first.token
		});
		expect(again).toEqual(first);
		expect(await participants.list(session.id)).toHaveLength(1);
	});

	it('creates a new identity for a device token of another session', async () => {
		const { participants, plan } = await setup(open);
		const a = await plan('A');
		const b = await plan('B');
		const inA = await participants.join({ liveSessionId: a.id, ...person });
		const inB = await participants.join({ liveSessionId: b.id, ...person, deviceToken: inA.token });
		expect(inB.participant.id).not.toBe(inA.participant.id);
		expect(inB.token).not.toBe(inA.token);
		expect((await participants.authenticate(inB.token))?.liveSessionId).toBe(b.id);
	});

	it('refuses new people while joining is closed, but lets a known device back in', async () => {
		const { participants, sessions, plan } = await setup(open);
		const session = await plan();
		const known = await participants.join({ liveSessionId: session.id, ...person });
		await sessions.setJoiningOpen(session.id, false);
		await expect(participants.join({ liveSessionId: session.id, ...person })).rejects.toThrow(
			expect.objectContaining({ reason: 'closed' })
		);
		expect(
			(await participants.join({ liveSessionId: session.id, ...person, deviceToken: known.token }))
				.participant.id
		).toBe(known.participant.id);
		await sessions.setJoiningOpen(session.id, true);
		expect(
			(await participants.join({ liveSessionId: session.id, ...person })).participant.id
		).not.toBe(known.participant.id);
	});

	it('refuses everyone once the session has ended', async () => {
		const { participants, sessions, plan } = await setup(open);
		const session = await plan();
		const known = await participants.join({ liveSessionId: session.id, ...person });
		await sessions.end(session.id);
		for (const deviceToken of [undefined, known.token]) {
			const refused = participants.join({ liveSessionId: session.id, ...person, deviceToken });
			await expect(refused).rejects.toBeInstanceOf(JoinError);
			await expect(refused).rejects.toMatchObject({ reason: 'ended' });
		}
	});

	it('revokes a removed participant, announces it, and keeps them out', async () => {
		const { participants, plan, emitted } = await setup(open);
		const session = await plan();
		const gone = await participants.join({ liveSessionId: session.id, ...person });
		const stays = await participants.join({ liveSessionId: session.id, ...person, name: 'Jan' });
		expect(await participants.remove(session.id, gone.participant.id)).toBe(true);
		expect(await participants.authenticate(gone.token)).toBeNull();
		expect((await participants.byToken(gone.token))?.revoked).toBe(true);
		expect((await participants.authenticate(stays.token))?.name).toBe('Jan');
		expect(emitted).toContainEqual({
			name: 'participantRevoked',
			payload: { participantId: gone.participant.id, boardId: session.boardId }
		});
		expect(
			(await participants.list(session.id)).find((p) => p.id === gone.participant.id)?.revokedAt
		).not.toBeNull();
		await expect(
			participants.join({ liveSessionId: session.id, ...person, deviceToken: gone.token })
		).rejects.toThrow(expect.objectContaining({ reason: 'removed' }));
		// A second removal, or one in the wrong session, changes nothing.
		expect(await participants.remove(session.id, gone.participant.id)).toBe(false);
		expect(await participants.remove((await plan('Other')).id, stays.participant.id)).toBe(false);
		expect(await participants.remove('nope', stays.participant.id)).toBe(false);
		expect(emitted.filter((e) => e.name === 'participantRevoked')).toHaveLength(1);
	});

	it('lets people join without an organisation, and finds a device in its session', async () => {
		const { participants, plan } = await setup(open);
		const session = await plan();
		const { token, participant } = await participants.join({
			liveSessionId: session.id,
			...person,
			organisation: '  '
		});
		expect(participant.organisation).toBe('');
		expect((await participants.byDevice(session.id, token))?.id).toBe(participant.id);
		expect(await participants.byDevice((await plan('Other')).id, token)).toBeNull();
		expect(await participants.byDevice(session.id, null)).toBeNull();
	});

	it('validates names and perspectives', async () => {
		const { participants, plan } = await setup(open);
		const session = await plan();
		await expect(
			participants.join({ liveSessionId: session.id, ...person, name: '  ' })
		).rejects.toThrow(RangeError);
		await expect(
			participants.join({
				liveSessionId: session.id,
				...person,
				// @ts-expect-error an unknown perspective must be refused at runtime too
				perspective: 'king'
			})
		).rejects.toThrow(RangeError);
		await expect(participants.join({ liveSessionId: 'nope', ...person })).rejects.toThrow(
			expect.objectContaining({ reason: 'not-found' })
		);
		expect(await participants.list(session.id)).toEqual([]);
	});

	it('leaving ends the device identity at once; what was shared stays, rejoining starts afresh', async () => {
		const { participants, plan, emitted, now } = await setup(open);
		const session = await plan();
		const { token, participant } = await participants.join({
			liveSessionId: session.id,
			...person
		});
		const left = await participants.leave(token);
		expect(left).toEqual({ ...participant, leftAt: now() });
		expect(emitted).toContainEqual({
			name: 'participantLeft',
			payload: { participantId: participant.id, boardId: session.boardId }
		});
		expect(await participants.authenticate(token)).toBeNull();
		expect(await participants.byToken(token)).toBeNull();
		expect(await participants.byDevice(session.id, token)).toBeNull();
		expect(await participants.leave(token)).toBeNull();
		expect(await participants.leave('')).toBeNull();
		// Still listed (their cards carry their name), marked as left.
		expect(await participants.list(session.id)).toEqual([{ ...participant, leftAt: now() }]);
		const again = await participants.join({
			liveSessionId: session.id,
			...person,
			deviceToken: token
		});
		expect(again.participant.id).not.toBe(participant.id);
	});

	it('knows who was on a board and their perspectives, and anonymises them', async () => {
		const { participants, plan, advance } = await setup(open);
		const first = await plan('Eerste');
		const second = await plan('Tweede');
		const other = await plan('Volgende ronde', 2);
		const a = await participants.join({ liveSessionId: first.id, ...person });
		advance();
		const b = await participants.join({
			liveSessionId: second.id,
			...person,
			name: 'Jan',
			perspective: 'inwoner'
		});
		advance();
		const c = await participants.join({ liveSessionId: other.id, ...person, name: 'Els' });
		expect(await participants.onBoard(a.participant.id, first.boardId)).toBe(true);
		expect(await participants.onBoard(c.participant.id, first.boardId)).toBe(false);
		expect(await participants.onBoard('nobody', first.boardId)).toBe(false);
		expect(await participants.perspectivesOnBoard(first.boardId)).toEqual(
			new Map([
				[a.participant.id, 'aanbieder'],
				[b.participant.id, 'inwoner']
			])
		);
		expect(await participants.perspectivesOnBoard('unknown.1')).toEqual(new Map());

		expect(await participants.notAnonymised([first.id, second.id])).toEqual([
			{ id: a.participant.id, name: 'Fatima', perspective: 'aanbieder' },
			{ id: b.participant.id, name: 'Jan', perspective: 'inwoner' }
		]);
		await participants.anonymise([{ id: a.participant.id, name: 'Aanbieder 1' }], new Date(0));
		expect(await participants.notAnonymised([first.id, second.id, other.id])).toEqual([
			{ id: b.participant.id, name: 'Jan', perspective: 'inwoner' },
			{ id: c.participant.id, name: 'Els', perspective: 'aanbieder' }
		]);
		expect((await participants.list(first.id))[0]).toMatchObject({
			name: 'Aanbieder 1',
			organisation: ''
		});
		expect(await participants.notAnonymised([])).toEqual([]);
	});
});
