/**
 * The glossary owner's contract (through the trajectories repository, as the app reaches it), run on its Kysely form on SQLite and on a
 * real PostgreSQL (tests/services/databases.ts).
 */
import { describe, expect, it } from 'vitest';
import {
	openContract,
	type OpenTestDatabase,
	useTestDatabases
} from '../../../tests/services/databases.ts';
import { kyselyUnitOfWork } from './db/repository.ts';
import type { GlossaryReading } from '../domain/glossary.ts';

const databases = useTestDatabases();
const start = new Date('2026-01-01T10:00:00Z').getTime();

async function setup(open: OpenTestDatabase) {
	const { database, sql, users, trajectories, advance } = await openContract(open, { start });
	const karin = await users.create({
		email: 'karin@kampen.nl',
		name: 'Karin',
		passwordHash: 'x',
		kind: 'facilitator'
	});
	const form = { municipality: 'Kampen', title: 'Zorg', description: '', partners: [] };
	const t = await trajectories.create(karin.id, form);
	const other = await trajectories.create(karin.id, form);
	return {
		database,
		sql,
		trajectories,
		glossary: trajectories.glossary,
		t: t.id,
		other: other.id,
		advance,
		updatedAt: async (id: string) => (await trajectories.get(id))?.updatedAt.getTime()
	};
}

const reading = (termId: string, id: string, text: string): GlossaryReading => ({
	id,
	termId,
	perspective: 'inwoner',
	text,
	authorId: 'p1',
	authorName: 'Piet',
	createdAt: start + 100
});

describe.each(databases)('glossary (%s)', (_name, open) => {
	it('adds terms with readings in order, agreed when they have a meaning', async () => {
		const { glossary, t, advance, updatedAt } = await setup(open);
		advance();
		const zorg = await glossary.add(t, {
			term: 'Zorg',
			definition: 'Hulp',
			readings: [
				{ perspective: 'inwoner', text: 'dichtbij', authorName: 'Piet' },
				{ perspective: 'professional', text: 'indicatie', authorName: '' }
			]
		});
		expect(zorg).toMatchObject({ term: 'Zorg', meaning: 'Hulp', note: '', status: 'agreed' });
		expect(zorg.createdAt).toBe(start + 1);
		expect(zorg.readings.map((r) => [r.perspective, r.text, r.authorName, r.createdAt])).toEqual([
			['inwoner', 'dichtbij', 'Piet', start + 1],
			['professional', 'indicatie', '', start + 2]
		]);
		expect(await updatedAt(t)).toBe(start + 1);
		advance();
		const wijk = await glossary.add(t, { term: 'Wijk', definition: ' ', note: 'welke?' });
		expect(wijk).toMatchObject({ status: 'open', note: 'welke?', readings: [] });
		expect(await glossary.list(t)).toEqual([zorg, wijk]);
	});

	it('updates a term: a meaning makes it agreed, none keeps its status; only its own trajectory', async () => {
		const { glossary, t, other, advance, updatedAt } = await setup(open);
		const term = await glossary.add(t, { term: 'Wijk', definition: '', status: 'open' });
		advance();
		expect(await glossary.update(other, term.id, 'X', 'Y')).toBe(false);
		expect(await glossary.update(t, term.id, 'Buurt', '')).toBe(true);
		expect((await glossary.list(t))[0]).toMatchObject({ term: 'Buurt', status: 'open' });
		expect(await updatedAt(t)).toBe(start + 1);
		expect(await glossary.update(t, term.id, 'Buurt', 'Waar je woont')).toBe(true);
		expect((await glossary.list(t))[0]).toMatchObject({
			meaning: 'Waar je woont',
			status: 'agreed'
		});
	});

	it('removes a term with its readings, and a reading alone', async () => {
		const { sql, glossary, t, other } = await setup(open);
		const a = await glossary.add(t, {
			term: 'A',
			definition: '',
			readings: [{ perspective: 'inwoner', text: 'a', authorName: '' }]
		});
		const b = await glossary.add(t, { term: 'B', definition: '' });
		await glossary.saveReading(t, reading(b.id, 'r-b', 'b'));
		expect(await glossary.remove(other, a.id)).toBe(false);
		expect(await glossary.remove(t, a.id)).toBe(true);
		expect(await glossary.remove(t, a.id)).toBe(false);
		expect(await sql('SELECT id FROM glossary_readings')).toEqual([{ id: 'r-b' }]);
		expect(await glossary.deleteReading(other, 'r-b')).toBe(false);
		expect(await glossary.deleteReading(t, 'r-b')).toBe(true);
		expect(await glossary.list(t)).toEqual([{ ...b, readings: [] }]);
	});

	it("saves a live board's terms and readings, never over another trajectory's", async () => {
		const { glossary, t, other } = await setup(open);
		const live = { id: 'term-1', term: 'Wonen', meaning: '', note: '', status: 'open' as const };
		expect(await glossary.saveTerm(t, { ...live, createdAt: start + 5 })).toBe(true);
		expect(
			await glossary.saveTerm(t, {
				...live,
				meaning: 'Huis',
				status: 'agreed',
				createdAt: start + 5
			})
		).toBe(true);
		expect(await glossary.saveTerm(other, { ...live, term: 'Weg', createdAt: start })).toBe(false);
		expect(await glossary.saveReading(t, reading('term-1', 'r1', 'thuis'))).toBe(true);
		expect(await glossary.saveReading(t, reading('term-1', 'r1', 'mijn huis'))).toBe(true);
		expect(await glossary.saveReading(other, reading('term-1', 'r2', 'x'))).toBe(false);

		const otherTerm = await glossary.add(other, { term: 'Anders', definition: '' });
		// A reading id of this trajectory, moved to a term of another one: refused.
		expect(await glossary.saveReading(other, reading(otherTerm.id, 'r1', 'gestolen'))).toBe(false);
		expect(await glossary.list(t)).toEqual([
			{
				...live,
				meaning: 'Huis',
				status: 'agreed',
				createdAt: start + 5,
				readings: [reading('term-1', 'r1', 'mijn huis')]
			}
		]);
		expect((await glossary.list(other)).map((term) => term.readings)).toEqual([[]]);
	});

	it('two saves of one new term at once: one term', async () => {
		const { glossary, t } = await setup(open);
		const live = { id: 'term-2', term: 'Wonen', meaning: '', note: '', status: 'open' as const };
		const saved = await Promise.all([
			glossary.saveTerm(t, { ...live, createdAt: start }),
			glossary.saveTerm(t, { ...live, createdAt: start })
		]);
		expect(saved).toEqual([true, true]);
		expect((await glossary.list(t)).map((term) => term.id)).toEqual(['term-2']);
	});

	it('renames the authors of readings (retention)', async () => {
		const { glossary, t } = await setup(open);
		const term = await glossary.add(t, { term: 'A', definition: '' });
		await glossary.saveReading(t, { ...reading(term.id, 'r1', 'a'), authorId: 'p1' });
		await glossary.saveReading(t, { ...reading(term.id, 'r2', 'b'), authorId: 'p2' });
		await glossary.renameAuthors(new Map([['p1', 'Deelnemer 1']]));
		expect((await glossary.list(t))[0].readings.map((r) => r.authorName)).toEqual([
			'Deelnemer 1',
			'Piet'
		]);
	});
});

describe.each(databases.filter(([name]) => name !== 'sqlite'))(
	'glossary (%s): in a unit of work',
	(_name, open) => {
		it("add runs in the caller's transaction: all or nothing", async () => {
			const { database, trajectories, t } = await setup(open);
			if (database.kind !== 'kysely') throw new Error('a Kysely database');
			const atomically = kyselyUnitOfWork(database.db);
			const entry = {
				term: 'Zorg',
				definition: '',
				readings: [{ perspective: 'inwoner' as const, text: 'x', authorName: '' }]
			};
			await expect(
				atomically(async (tx) => {
					expect((await trajectories.glossary.add(t, entry, tx)).readings).toHaveLength(1);
					throw new Error('import failed');
				})
			).rejects.toThrow('import failed');
			expect(await trajectories.glossary.list(t)).toEqual([]);
			await atomically((tx) => trajectories.glossary.add(t, entry, tx));
			expect(await trajectories.glossary.list(t)).toHaveLength(1);
		});
	}
);
