/**
 * The invitations owner's contract, run on its Kysely
 * form on SQLite and on a real PostgreSQL (tests/services/databases.ts).
 */
import { describe, expect, it } from 'vitest';
import {
	openContract,
	type OpenTestDatabase,
	useTestDatabases
} from '../../../tests/services/databases.ts';
import { hashToken } from './auth/tokens.ts';
import { kyselyUnitOfWork } from './db/repository.ts';
import { INVITATION_LIFETIME_MS } from './invitations.ts';

const databases = useTestDatabases();

async function setup(open: OpenTestDatabase) {
	const { database, sql, users, invitations, advance } = await openContract(open);
	const user = (email: string) =>
		users.create({ email, name: email, passwordHash: 'x', kind: 'facilitator' });
	const karin = await user('karin@kampen.nl');
	for (const id of ['t1', 't2'])
		await sql(
			`INSERT INTO trajectories (id, municipality, title, description, created_by, created_at, updated_at) VALUES ('${id}', 'Kampen', 'Zorg', '', '${karin.id}', 0, 0)`
		);
	return { database, sql, invitations, karin, user, advance };
}

describe.each(databases)('invitations (%s)', (_name, open) => {
	it('stores only the hash of the token; a link is valid once', async () => {
		const { sql, invitations, karin, user } = await setup(open);
		const { token, invitation } = await invitations.create({
			trajectoryId: 't1',
			role: 'observer',
			createdBy: karin.id
		});
		expect(await sql('SELECT id FROM invitations')).toEqual([{ id: hashToken(token) }]);
		expect(invitation).toMatchObject({ trajectoryId: 't1', role: 'observer', usedAt: null });
		expect(invitation.expiresAt.getTime() - invitation.createdAt.getTime()).toBe(
			INVITATION_LIFETIME_MS
		);
		expect(await invitations.check(token)).toEqual({ state: 'valid', invitation });
		expect(await invitations.openFor('t1')).toEqual([invitation]);

		const piet = await user('piet@kampen.nl');
		expect(await invitations.consume(token, piet.id)).toBe(true);
		const used = await invitations.check(token);
		expect(used.state).toBe('used');
		expect(used.invitation?.usedAt).toEqual(invitation.createdAt);
		expect(await sql('SELECT used_by FROM invitations')).toEqual([{ used_by: piet.id }]);
		expect(await invitations.consume(token, karin.id)).toBe(false);
		expect(await invitations.openFor('t1')).toEqual([]);
		expect(await invitations.check('no-such-token')).toEqual({
			state: 'unknown',
			invitation: null
		});
	});

	it('expires after seven days', async () => {
		const { invitations, karin, advance } = await setup(open);
		const { token } = await invitations.create({
			trajectoryId: null,
			role: 'facilitator',
			createdBy: karin.id
		});
		advance(INVITATION_LIFETIME_MS - 1);
		expect((await invitations.check(token)).state).toBe('valid');
		advance(1);
		expect((await invitations.check(token)).state).toBe('expired');
		expect(await invitations.consume(token, karin.id)).toBe(false);
	});

	it('lists open invitations of one trajectory, newest first, and withdraws open ones only', async () => {
		const { invitations, karin, advance } = await setup(open);
		const make = async (trajectoryId: string) => {
			advance(1);
			return invitations.create({ trajectoryId, role: 'observer', createdBy: karin.id });
		};
		const a = await make('t1');
		const b = await make('t1');
		const other = await make('t2');
		expect(await invitations.openFor('t1')).toEqual([b.invitation, a.invitation]);
		expect(await invitations.revoke('t1', other.invitation.id)).toBe(false);
		expect(await invitations.revoke('t1', a.invitation.id)).toBe(true);
		expect(await invitations.revoke('t1', a.invitation.id)).toBe(false);
		await invitations.consume(b.token, karin.id);
		expect(await invitations.revoke('t1', b.invitation.id)).toBe(false);
		expect(await invitations.openFor('t1')).toEqual([]);
		expect(await invitations.openFor('t2')).toEqual([other.invitation]);
	});

	it('of two simultaneous uses only one wins', async () => {
		const { invitations, karin, user } = await setup(open);
		const piet = await user('piet@kampen.nl');
		const { token } = await invitations.create({
			trajectoryId: 't1',
			role: 'observer',
			createdBy: karin.id
		});
		const results = await Promise.all([
			invitations.consume(token, karin.id),
			invitations.consume(token, piet.id)
		]);
		expect(results.filter(Boolean)).toHaveLength(1);
	});

	it('an invitation goes with its trajectory', async () => {
		const { sql, invitations, karin } = await setup(open);
		const { token } = await invitations.create({
			trajectoryId: 't1',
			role: 'observer',
			createdBy: karin.id
		});
		await sql(`DELETE FROM trajectories WHERE id = 't1'`);
		expect((await invitations.check(token)).state).toBe('unknown');
	});
});

describe.each(databases.filter(([name]) => name !== 'sqlite'))(
	'invitations (%s): in a unit of work',
	(_name, open) => {
		it("consume runs in the caller's transaction: all or nothing", async () => {
			const { database, invitations, karin } = await setup(open);
			if (database.kind !== 'kysely') throw new Error('a Kysely database');
			const atomically = kyselyUnitOfWork(database.db);
			const { token } = await invitations.create({
				trajectoryId: 't1',
				role: 'observer',
				createdBy: karin.id
			});
			await expect(
				atomically(async (tx) => {
					expect((await invitations.check(token, tx)).state).toBe('valid');
					expect(await invitations.consume(token, karin.id, tx)).toBe(true);
					expect((await invitations.check(token, tx)).state).toBe('used');
					throw new Error('granting failed');
				})
			).rejects.toThrow('granting failed');
			expect((await invitations.check(token)).state).toBe('valid');
			expect(await atomically((tx) => invitations.consume(token, karin.id, tx))).toBe(true);
			expect((await invitations.check(token)).state).toBe('used');
		});
	}
);
