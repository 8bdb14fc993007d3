/**
 * The trajectories owner's contract (trajectories, partners, themes, members), run on its Kysely form on SQLite and on a real
 * PostgreSQL (tests/services/databases.ts).
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
	openContract,
	type OpenTestDatabase,
	useTestDatabases
} from '../../../tests/services/databases.ts';
import { kyselyUnitOfWork } from './db/repository.ts';

const databases = useTestDatabases();
const start = new Date('2026-01-01T10:00:00Z').getTime();

async function setup(open: OpenTestDatabase) {
	const { database, sql, users, trajectories, advance } = await openContract(open, { start });
	const user = (name: string, kind: 'facilitator' | 'observer' = 'facilitator') =>
		users.create({ email: `${name}@kampen.nl`, name, passwordHash: 'x', kind });
	return {
		database,
		sql,
		users,
		trajectories,
		user,
		advance,
		at: (offset: number) => new Date(start + offset)
	};
}

const input = {
	municipality: 'Kampen',
	title: 'Zorg dichtbij',
	description: 'Samen',
	partners: [
		{ name: 'Wijkteam', perspective: 'professional' as const },
		{ name: 'Huurders', perspective: 'inwoner' as const }
	]
};

describe.each(databases)('trajectories (%s)', (_name, open) => {
	it('creates a trajectory with partners and themes in order, its creator as facilitator', async () => {
		const { trajectories, user } = await setup(open);
		const karin = await user('karin');
		const created = await trajectories.create(karin.id, { ...input, themes: ['Wonen', 'Zorg'] });
		expect(created).toMatchObject({
			municipality: 'Kampen',
			title: 'Zorg dichtbij',
			description: 'Samen',
			archivedAt: null,
			partners: [
				{ name: 'Wijkteam', perspective: 'professional' },
				{ name: 'Huurders', perspective: 'inwoner' }
			],
			themes: [
				{ name: 'Wonen', position: 0 },
				{ name: 'Zorg', position: 1 }
			]
		});
		expect(created.createdAt).toEqual(new Date(start));
		expect(await trajectories.get(created.id)).toEqual(created);
		expect(await trajectories.get('nothing')).toBeNull();
		expect(await trajectories.roleOf(created.id, karin.id)).toBe('facilitator');
		expect(await trajectories.roleOf(created.id, 'someone')).toBeNull();
	});

	it('updates the fields and partners: kept by id, removed when left out, new ones added', async () => {
		const { trajectories, user, advance, at } = await setup(open);
		const karin = await user('karin');
		const t = await trajectories.create(karin.id, input);
		const [wijkteam, huurders] = t.partners;
		advance(5);
		await trajectories.update(t.id, {
			municipality: 'Zwolle',
			title: 'Nieuw',
			description: '',
			partners: [
				{ id: huurders.id, name: 'Huurdersvereniging', perspective: 'inwoner' },
				{ name: 'Gemeente', perspective: 'gemeente' }
			]
		});
		const updated = await trajectories.get(t.id);
		expect(updated).toMatchObject({ municipality: 'Zwolle', title: 'Nieuw', description: '' });
		expect(updated?.updatedAt).toEqual(at(5));
		expect(updated?.partners.map((p) => [p.name, p.perspective])).toEqual([
			['Huurdersvereniging', 'inwoner'],
			['Gemeente', 'gemeente']
		]);
		expect(updated?.partners[0].id).toBe(huurders.id);
		expect(updated?.partners.map((p) => p.id)).not.toContain(wijkteam.id);
	});

	it("lists a user's trajectories, active ones first and the last changed first, and all of them", async () => {
		const { trajectories, user, advance, at } = await setup(open);
		const karin = await user('karin');
		const piet = await user('piet', 'observer');
		const a = await trajectories.create(karin.id, { ...input, title: 'A', themes: ['x'] });
		advance();
		const b = await trajectories.create(karin.id, { ...input, title: 'B' });
		advance();
		const c = await trajectories.create(karin.id, { ...input, title: 'C', themes: ['x', 'y'] });
		advance();
		await trajectories.setArchived(c.id, true);
		await trajectories.members.add(a.id, piet.id, 'observer');
		const mine = await trajectories.listFor(karin.id);
		expect(mine.map((t) => [t.title, t.role, t.themeCount])).toEqual([
			['B', 'facilitator', 0],
			['A', 'facilitator', 1],
			['C', 'facilitator', 2]
		]);
		expect(mine[2].archivedAt).toEqual(at(3));
		expect((await trajectories.listFor(piet.id)).map((t) => [t.id, t.role])).toEqual([
			[a.id, 'observer']
		]);
		expect((await trajectories.listAll()).map((t) => [t.id, t.themeCount, t.memberCount])).toEqual([
			[a.id, 1, 2],
			[b.id, 0, 1],
			[c.id, 2, 1]
		]);
		await trajectories.setArchived(c.id, false);
		expect((await trajectories.get(c.id))?.archivedAt).toBeNull();
	});

	it('deletes a trajectory with its partners, themes and members', async () => {
		const { sql, trajectories, user } = await setup(open);
		const karin = await user('karin');
		const t = await trajectories.create(karin.id, { ...input, themes: ['Wonen'] });
		const other = await trajectories.create(karin.id, { ...input, themes: ['Zorg'] });
		await trajectories.delete(t.id);
		expect(await trajectories.get(t.id)).toBeNull();
		expect(await trajectories.roleOf(t.id, karin.id)).toBeNull();
		expect(await sql("SELECT id FROM themes WHERE name = 'Wonen'")).toEqual([]);
		expect(await sql<{ n: number }>('SELECT id FROM partners')).toHaveLength(2);
		expect((await trajectories.get(other.id))?.themes).toHaveLength(1);
	});

	it('adds, renames, moves and removes themes, and marks the trajectory changed', async () => {
		const { trajectories, user, advance, at } = await setup(open);
		const karin = await user('karin');
		const t = await trajectories.create(karin.id, input);
		const other = await trajectories.create(karin.id, { ...input, themes: ['Elders'] });
		advance();
		const wonen = await trajectories.themes.add(t.id, 'Wonen');
		const zorg = await trajectories.themes.add(t.id, 'Zorg');
		expect([wonen.position, zorg.position]).toEqual([0, 1]);
		expect((await trajectories.get(t.id))?.updatedAt).toEqual(at(1));
		expect(await trajectories.themes.get(zorg.id)).toEqual({ ...zorg, trajectoryId: t.id });
		expect(await trajectories.themes.get('none')).toBeNull();

		advance();
		expect(await trajectories.themes.rename(t.id, zorg.id, 'Zorg en welzijn')).toBe(true);
		expect((await trajectories.get(t.id))?.updatedAt).toEqual(at(2));
		expect(await trajectories.themes.rename(other.id, zorg.id, 'Elders')).toBe(false);

		expect(await trajectories.themes.move(t.id, zorg.id, -1)).toBe(true);
		expect(await trajectories.themes.list(t.id)).toEqual([
			{ id: zorg.id, name: 'Zorg en welzijn', position: 0 },
			{ id: wonen.id, name: 'Wonen', position: 1 }
		]);
		expect(await trajectories.themes.move(t.id, zorg.id, -1)).toBe(false);
		expect(await trajectories.themes.move(t.id, wonen.id, 1)).toBe(false);
		expect(await trajectories.themes.move(other.id, wonen.id, -1)).toBe(false);

		expect(await trajectories.themes.remove(other.id, wonen.id)).toBe(false);
		expect(await trajectories.themes.remove(t.id, wonen.id)).toBe(true);
		expect((await trajectories.themes.list(t.id)).map((th) => th.name)).toEqual([
			'Zorg en welzijn'
		]);
		expect((await trajectories.themes.add(t.id, 'Werk')).position).toBe(1);
	});

	it('lists members by role and name, upgrades but never downgrades, keeps the last facilitator', async () => {
		const { trajectories, user, advance, at } = await setup(open);
		const karin = await user('karin');
		const anna = await user('anna', 'observer');
		const bert = await user('bert', 'observer');
		const t = await trajectories.create(karin.id, input);
		advance();
		await trajectories.members.add(t.id, bert.id, 'observer');
		await trajectories.members.add(t.id, anna.id, 'observer');
		expect((await trajectories.members.list(t.id)).map((m) => [m.name, m.role, m.email])).toEqual([
			['karin', 'facilitator', 'karin@kampen.nl'],
			['anna', 'observer', 'anna@kampen.nl'],
			['bert', 'observer', 'bert@kampen.nl']
		]);
		expect((await trajectories.members.list(t.id))[1].addedAt).toEqual(at(1));

		await trajectories.members.add(t.id, anna.id, 'facilitator');
		await trajectories.members.add(t.id, anna.id, 'observer');
		expect(await trajectories.roleOf(t.id, anna.id)).toBe('facilitator');

		expect(await trajectories.members.remove(t.id, 'nobody')).toBe('not-found');
		expect(await trajectories.members.remove(t.id, bert.id)).toBe('removed');
		expect(await trajectories.members.remove(t.id, karin.id)).toBe('removed');
		expect(await trajectories.members.remove(t.id, anna.id)).toBe('last-facilitator');
		expect((await trajectories.members.list(t.id)).map((m) => m.name)).toEqual(['anna']);
	});

	it('two facilitators removed at once: one stays', async () => {
		const { trajectories, user } = await setup(open);
		const karin = await user('karin');
		const anna = await user('anna');
		const t = await trajectories.create(karin.id, input);
		await trajectories.members.add(t.id, anna.id, 'facilitator');
		const results = await Promise.all([
			trajectories.members.remove(t.id, karin.id),
			trajectories.members.remove(t.id, anna.id)
		]);
		expect(results.sort()).toEqual(['last-facilitator', 'removed']);
		expect(await trajectories.members.list(t.id)).toHaveLength(1);
	});
});

describe.each(databases.filter(([name]) => name !== 'sqlite'))(
	'trajectories (%s): in a unit of work',
	(_name, open) => {
		it("create, members.add and delete run in the caller's transaction: all or nothing", async () => {
			const { database, trajectories, user } = await setup(open);
			if (database.kind !== 'kysely') throw new Error('a Kysely database');
			const atomically = kyselyUnitOfWork(database.db);
			const karin = await user('karin');
			const anna = await user('anna', 'observer');
			const kept = await trajectories.create(karin.id, input);
			await expect(
				atomically(async (tx) => {
					const t = await trajectories.create(karin.id, { ...input, themes: ['Wonen'] }, tx);
					expect((await trajectories.get(t.id, tx))?.themes).toHaveLength(1);
					await trajectories.members.add(kept.id, anna.id, 'observer', tx);
					await trajectories.delete(kept.id, tx);
					throw new Error('boards could not be written');
				})
			).rejects.toThrow('boards could not be written');
			expect((await trajectories.listAll()).map((t) => t.id)).toEqual([kept.id]);
			expect(await trajectories.roleOf(kept.id, anna.id)).toBeNull();
			const made = await atomically((tx) => trajectories.create(karin.id, input, tx));
			expect(await trajectories.get(made.id)).toEqual(made);
		});
	}
);

describe.each(databases.filter(([name]) => name === 'kysely-postgres'))(
	'trajectories (%s): several nodes',
	(_name, open) => {
		it("a removal waits for another node's removal of a member of the same trajectory", async () => {
			const { database, trajectories, user } = await setup(open);
			if (database.kind !== 'kysely') throw new Error('a Kysely database');
			const karin = await user('karin');
			const anna = await user('anna');
			const t = await trajectories.create(karin.id, input);
			await trajectories.members.add(t.id, anna.id, 'facilitator');
			let commit = () => {};
			const held = new Promise<void>((resolve) => (commit = resolve));
			let removed = () => {};
			const first = new Promise<void>((resolve) => (removed = resolve));
			// Node A removes karin and has not committed yet.
			const nodeA = kyselyUnitOfWork(database.db)(async (tx) => {
				expect(await trajectories.members.remove(t.id, karin.id, tx)).toBe('removed');
				removed();
				await held;
			});
			await first;
			// Node B removes anna meanwhile: it must wait for A, then see that anna is the last one.
			const nodeB = trajectories.members.remove(t.id, anna.id);
			await expect
				.poll(async () => {
					const { rows } = await sql<{ n: number }>`
						select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock'`.execute(
						database.db
					);
					return rows[0].n;
				})
				.toBe(1);
			commit();
			await nodeA;
			expect(await nodeB).toBe('last-facilitator');
			expect((await trajectories.members.list(t.id)).map((m) => m.name)).toEqual(['anna']);
		});

		it('themes added and moved at once by several nodes keep one place each', async () => {
			const { trajectories, user } = await setup(open);
			const karin = await user('karin');
			const t = await trajectories.create(karin.id, { ...input, themes: ['Wonen', 'Zorg'] });
			const names = ['Werk', 'Jeugd', 'Sport', 'Cultuur', 'Armoede', 'Veiligheid'];
			await Promise.all(names.map((name) => trajectories.themes.add(t.id, name)));
			const positions = async () =>
				(await trajectories.themes.list(t.id)).map((theme) => theme.position);
			expect(await positions()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
			const themes = await trajectories.themes.list(t.id);
			await Promise.all(
				themes.slice(1).map((theme) => trajectories.themes.move(t.id, theme.id, -1))
			);
			expect(await positions()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
			expect((await trajectories.themes.list(t.id)).map((theme) => theme.name).sort()).toEqual(
				['Wonen', 'Zorg', ...names].sort()
			);
		});
	}
);
