import { afterEach, describe, expect, it } from 'vitest';
import { createDb } from '../db/open.ts';
import { createSessions, SESSION_LIFETIME_MS } from './sessions.ts';
import { createUsers } from '../users.ts';
import { hashToken } from './tokens.ts';

const open: { close(): void }[] = [];
afterEach(() => open.splice(0).forEach((db) => db.close()));

function setup() {
	let clock = new Date('2026-01-01T10:00:00Z').getTime();
	const now = () => new Date(clock);
	const db = createDb(':memory:');
	open.push(db);
	const users = createUsers(db, now);
	const sessions = createSessions(db, users, now);
	const user = users.create({
		email: 'a@kampen.nl',
		name: 'A',
		passwordHash: 'x',
		kind: 'facilitator'
	});
	return { db, sessions, user, advance: (ms: number) => (clock += ms) };
}

describe('sessions', () => {
	it('stores only the SHA-256 of the token and validates the token', () => {
		const { db, sessions, user } = setup();
		const { token, session } = sessions.create(user.id, 'Firefox');
		const stored = db.prepare('SELECT id FROM sessions').all() as { id: string }[];
		expect(stored).toEqual([{ id: hashToken(token) }]);
		expect(stored[0].id).not.toContain(token);
		const result = sessions.validate(token);
		expect(result?.user.email).toBe('a@kampen.nl');
		expect(result?.session.id).toBe(session.id);
		expect(result?.renewed).toBe(false);
	});

	it('refuses an unknown token', () => {
		const { sessions } = setup();
		expect(sessions.validate('not-a-token')).toBeNull();
	});

	it('expires after 30 days and deletes the expired row', () => {
		const { db, sessions, user, advance } = setup();
		const { token } = sessions.create(user.id);
		advance(SESSION_LIFETIME_MS + 1);
		expect(sessions.validate(token)).toBeNull();
		expect(db.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 0 });
	});

	it('slides the expiry when used in the second half of its life', () => {
		const { sessions, user, advance } = setup();
		const { token, session } = sessions.create(user.id);
		advance(20 * 24 * 3600 * 1000);
		const result = sessions.validate(token);
		expect(result?.renewed).toBe(true);
		expect(result!.session.expiresAt.getTime()).toBeGreaterThan(session.expiresAt.getTime());
		advance(20 * 24 * 3600 * 1000); // 40 days after creation, 20 after renewal
		expect(sessions.validate(token)).not.toBeNull();
	});

	it('logs out one session, or everywhere except the current one', () => {
		const { sessions, user } = setup();
		const a = sessions.create(user.id);
		const b = sessions.create(user.id);
		const c = sessions.create(user.id);
		sessions.invalidate(a.session.id);
		expect(sessions.validate(a.token)).toBeNull();
		sessions.invalidateAll(user.id, b.session.id);
		expect(sessions.validate(b.token)).not.toBeNull();
		expect(sessions.validate(c.token)).toBeNull();
		expect(sessions.list(user.id).map((s) => s.id)).toEqual([b.session.id]);
	});

	it('ends the sessions of a deleted user', () => {
		const { db, sessions, user } = setup();
		const { token } = sessions.create(user.id);
		db.prepare('DELETE FROM users WHERE id = ?').run(user.id);
		expect(sessions.validate(token)).toBeNull();
	});
});
