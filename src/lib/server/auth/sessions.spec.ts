/**
 * The sessions owner's contract, run on its Kysely form on SQLite and on a real PostgreSQL (tests/services/databases.ts).
 */
import { describe, expect, it } from 'vitest';
import {
	openContract,
	type OpenTestDatabase,
	useTestDatabases
} from '../../../../tests/services/databases.ts';
import { SESSION_LIFETIME_MS } from './sessions.ts';
import { hashToken } from './tokens.ts';

const databases = useTestDatabases();

async function setup(open: OpenTestDatabase) {
	const { sql, advance, users, sessions } = await openContract(open);
	const user = await users.create({
		email: 'a@kampen.nl',
		name: 'A',
		passwordHash: 'x',
		kind: 'facilitator'
	});
	return { sql, sessions, user, advance };
}

describe.each(databases)('sessions (%s)', (_name, open) => {
	it('stores only the SHA-256 of the token and validates the token', async () => {
		const { sql, sessions, user } = await setup(open);
		const { token, session } = await sessions.create(user.id, 'Firefox');
		const stored = await sql<{ id: string }>('SELECT id FROM sessions');
		expect(stored).toEqual([{ id: hashToken(token) }]);
		expect(stored[0].id).not.toContain(token);
		const result = await sessions.validate(token);
		expect(result?.user.email).toBe('a@kampen.nl');
		expect(result?.session).toEqual(session);
		expect(result?.session.userAgent).toBe('Firefox');
		expect(result?.renewed).toBe(false);
	});

	it('refuses an unknown token', async () => {
		const { sessions } = await setup(open);
		expect(await sessions.validate('not-a-token')).toBeNull();
	});

	it('expires after 30 days and deletes the expired row', async () => {
		const { sql, sessions, user, advance } = await setup(open);
		const { token } = await sessions.create(user.id);
		advance(SESSION_LIFETIME_MS + 1);
		expect(await sessions.validate(token)).toBeNull();
		expect(await sql('SELECT id FROM sessions')).toEqual([]);
	});

	it('slides the expiry when used in the second half of its life', async () => {
		const { sessions, user, advance } = await setup(open);
		const { token, session } = await sessions.create(user.id);
		advance(20 * 24 * 3600 * 1000);
		const result = await sessions.validate(token);
		expect(result?.renewed).toBe(true);
		expect(result!.session.expiresAt.getTime()).toBeGreaterThan(session.expiresAt.getTime());
		advance(20 * 24 * 3600 * 1000); // 40 days after creation, 20 after renewal
		expect(await sessions.validate(token)).not.toBeNull();
	});

	it('logs out one session, or everywhere except the current one', async () => {
		const { sessions, user, advance } = await setup(open);
		const a = await sessions.create(user.id);
		const b = await sessions.create(user.id);
		const c = await sessions.create(user.id);
		await sessions.invalidate(a.session.id);
		expect(await sessions.validate(a.token)).toBeNull();
		await sessions.invalidateAll(user.id, b.session.id);
		expect(await sessions.validate(b.token)).not.toBeNull();
		expect(await sessions.validate(c.token)).toBeNull();
		expect((await sessions.list(user.id)).map((s) => s.id)).toEqual([b.session.id]);
		await sessions.invalidateAll(user.id);
		expect(await sessions.validate(b.token)).toBeNull();
		advance(1);
		const d = await sessions.create(user.id);
		advance(1);
		const e = await sessions.create(user.id);
		expect(await sessions.list(user.id)).toEqual([e.session, d.session]);
	});

	it('ends the sessions of a deleted user', async () => {
		const { sql, sessions, user } = await setup(open);
		const { token } = await sessions.create(user.id);
		await sql(`DELETE FROM users WHERE id = '${user.id}'`);
		expect(await sessions.validate(token)).toBeNull();
		expect(await sql('SELECT id FROM sessions')).toEqual([]);
	});
});
