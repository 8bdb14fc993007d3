/**
 * The users owner's contract, run on its Kysely form on SQLite and on a real PostgreSQL (tests/services/databases.ts).
 */
import { describe, expect, it } from 'vitest';
import {
	testRepositories,
	useTestDatabases,
	type OpenTestDatabase
} from '../../../tests/services/databases.ts';
import { kyselyUnitOfWork } from './db/repository.ts';
import type { Users } from './users.ts';
import { createKyselyUsers } from './users.kysely.ts';

const databases = useTestDatabases();
const now = () => new Date('2026-01-01T10:00:00Z');

async function openUsers(open: OpenTestDatabase): Promise<Users> {
	return testRepositories(await open(), now).users;
}

const karin = {
	email: ' Karin@Kampen.NL ',
	name: ' Karin ',
	passwordHash: 'h1',
	kind: 'facilitator'
} as const;

describe.each(databases)('users (%s)', (_name, open) => {
	it('creates an account with its address lower-cased and finds it by address and id', async () => {
		const users = await openUsers(open);
		expect(await users.count()).toBe(0);
		const created = await users.create(karin);
		expect(created).toMatchObject({ email: 'karin@kampen.nl', name: 'Karin', kind: 'facilitator' });
		expect(created.createdAt).toEqual(now());
		expect(await users.byEmail('KARIN@kampen.nl ')).toEqual(created);
		expect(await users.byId(created.id)).toEqual(created);
		expect(await users.byEmail('other@kampen.nl')).toBeNull();
		expect(await users.byId('nobody')).toBeNull();
		expect(await users.count()).toBe(1);
	});

	it('refuses a second account for the same address, in any case', async () => {
		const users = await openUsers(open);
		await users.create(karin);
		await expect(users.create({ ...karin, email: 'KARIN@KAMPEN.nl' })).rejects.toThrow(
			'email-taken'
		);
		expect(await users.count()).toBe(1);
	});

	it('changes the password and promotes an observer, never demotes', async () => {
		const users = await openUsers(open);
		const observer = await users.create({ ...karin, kind: 'observer' });
		await users.setPassword(observer.id, 'h2');
		await users.promoteToFacilitator(observer.id);
		expect(await users.byId(observer.id)).toMatchObject({
			passwordHash: 'h2',
			kind: 'facilitator'
		});
		await users.promoteToFacilitator(observer.id);
		expect((await users.byId(observer.id))?.kind).toBe('facilitator');
	});
});

describe.each(databases.filter(([name]) => name !== 'sqlite'))(
	'users (%s): in a unit of work',
	(_name, open) => {
		it("create runs in the caller's transaction: all or nothing", async () => {
			const database = await open();
			if (database.kind !== 'kysely') throw new Error('a Kysely database');
			const users = createKyselyUsers(database.db, now);
			const atomically = kyselyUnitOfWork(database.db);
			await expect(
				atomically(async (tx) => {
					const user = await users.create(karin, tx);
					await users.promoteToFacilitator(user.id, tx);
					throw new Error('invitation used meanwhile');
				})
			).rejects.toThrow('invitation used meanwhile');
			expect(await users.count()).toBe(0);
			const user = await atomically((tx) => users.create(karin, tx));
			expect(await users.byId(user.id)).toEqual(user);
		});
	}
);
