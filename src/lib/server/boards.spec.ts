import * as Y from 'yjs';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addCard, createBoardDoc } from '../board/schema/index.ts';
import { createAppContext, type AppConfig, type AppContext } from './context.ts';
import { boardIdOf, deleteTrajectory } from './boards.ts';
import { connectPostgres } from './db/postgres.ts';
import { startPostgres, type PostgresServer } from '../../../tests/services/services.ts';

/*
 * The app context on both databases it runs on: the embedded SQLite and a real PostgreSQL
 * (`KOMPAS_DATABASE_URL`). Deleting a trajectory spans its rows (trajectories owner) and its
 * boards' documents and client bindings (update store, client owners): one unit of work on both.
 */

const apps: AppContext[] = [];
afterEach(async () => {
	for (const app of apps.splice(0)) await app.close();
});

let postgres: PostgresServer | undefined;
beforeAll(async () => {
	postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
	await postgres?.stop();
});

const base = { dataDir: ':memory:', secureCookies: false, origin: null } satisfies AppConfig;

/** A fresh, empty database of each kind for every test. */
const databases: [string, () => Promise<AppConfig>][] = [
	['sqlite', async () => base],
	[
		'postgres',
		async () => {
			if (!postgres) throw new Error('PostgreSQL did not start');
			const pg = connectPostgres(postgres.url);
			try {
				// Empty tables (a first context migrates them; a cluster per test takes seconds).
				const { rows } = await sql<{ tables: string | null }>`
					select string_agg(quote_ident(tablename), ', ') as tables from pg_tables
					where schemaname = 'public' and tablename not like 'kompas_migrations%'`.execute(pg.db);
				if (rows[0].tables) await sql`truncate ${sql.raw(rows[0].tables)} cascade`.execute(pg.db);
			} finally {
				await pg.close();
			}
			return { ...base, databaseUrl: postgres.url };
		}
	]
];

describe.each(databases)('the app context on %s', (dialect, config) => {
	async function setup() {
		const app = await createAppContext(await config());
		apps.push(app);
		expect(app.database.dialect).toBe(dialect);
		const user = await app.users.create({
			email: 'f@k.nl',
			name: 'F',
			passwordHash: 'x',
			kind: 'facilitator'
		});
		const keep = await app.trajectories.create(user.id, {
			municipality: 'Kampen',
			title: 'Blijft',
			description: '',
			partners: [],
			themes: ['zorg']
		});
		const doomed = await app.trajectories.create(user.id, {
			municipality: 'Kampen',
			title: 'Weg',
			description: '',
			partners: [],
			themes: ['werk', 'wonen']
		});
		for (const theme of [...keep.themes, ...doomed.themes]) {
			const doc = createBoardDoc({ boardId: boardIdOf(theme.id, 1), themeName: theme.name });
			addCard(doc, {
				kind: 'situation',
				text: `Over ${theme.name}`,
				author: { id: 'p1', name: 'Anna', perspective: 'inwoner' }
			});
			await app.boards.write(boardIdOf(theme.id, 1), doc);
			doc.destroy();
			await app.updates.create(`private/${theme.id}.1/p1`, Y.encodeStateAsUpdate(new Y.Doc()));
			await app.clientOwners.bind(`board/${theme.id}.1`, 1, 'participant:p1');
		}
		return { app, keep, doomed };
	}

	const docsOf = (app: AppContext, themeId: string) =>
		Promise.all([
			app.updates.list(`board/${themeId}.`),
			app.updates.list(`private/${themeId}.`)
		]).then((lists) => lists.flat());

	describe('deleteTrajectory', () => {
		it("removes the trajectory's rows, board and private documents and client bindings, nothing else", async () => {
			const { app, keep, doomed } = await setup();
			await deleteTrajectory(app, doomed);
			expect(await app.trajectories.get(doomed.id)).toBeNull();
			for (const theme of doomed.themes) {
				expect(await docsOf(app, theme.id)).toEqual([]);
				expect((await app.clientOwners.load(`board/${theme.id}.1`)).size).toBe(0);
			}
			const [kept] = keep.themes;
			expect(await docsOf(app, kept.id)).toHaveLength(2);
			expect((await app.clientOwners.load(`board/${kept.id}.1`)).size).toBe(1);
			expect((await app.boards.snapshot(boardIdOf(kept.id, 1), kept.name)).cards).toHaveLength(1);
		});

		it('is all or nothing: when deleting the rows fails after the documents went, every document stays', async () => {
			const { app, doomed } = await setup();
			const failing: AppContext = {
				...app,
				trajectories: {
					...app.trajectories,
					// Deletes the rows (the documents went before), then fails: the unit rolls back.
					delete: async (id, tx) => {
						await app.trajectories.delete(id, tx);
						throw new Error('disk full');
					}
				}
			};
			await expect(deleteTrajectory(failing, doomed)).rejects.toThrow('disk full');
			expect(await app.trajectories.get(doomed.id)).not.toBeNull();
			for (const theme of doomed.themes) {
				expect(await docsOf(app, theme.id)).toHaveLength(2);
				expect((await app.clientOwners.load(`board/${theme.id}.1`)).size).toBe(1);
				expect((await app.boards.snapshot(boardIdOf(theme.id, 1), theme.name)).cards).toHaveLength(
					1
				);
			}
		});
	});

	describe('boards', () => {
		it('reads a board through the update store and names its theme', async () => {
			const { app, keep } = await setup();
			const [theme] = keep.themes;
			const boardId = boardIdOf(theme.id, 1);
			expect(await app.boards.info(boardId)).toEqual({
				boardId,
				themeId: theme.id,
				themeName: 'zorg',
				trajectoryId: keep.id,
				cycle: 1
			});
			expect(await app.boards.info('unknown.1')).toBeNull();
			expect(await app.boards.currentCycle(theme.id)).toBe(1);
			await expect(app.boards.write(boardId, new Y.Doc())).rejects.toThrow('board-exists');
			expect((await app.boards.snapshot(boardIdOf(theme.id, 2), 'zorg')).cards).toEqual([]);
		});
	});

	it('makes one first account when two first visitors sign up at once (setup)', async () => {
		const app = await createAppContext(await config());
		apps.push(app);
		// As the setup action's claim: count with new accounts held off, create when there is none.
		const firstVisitor = (email: string) =>
			app.atomically(async (tx) => {
				const none = (await app.users.count(tx, true)) === 0;
				// The other visitor's unit runs meanwhile (on PostgreSQL; SQLite runs one unit at a time).
				await new Promise((resolve) => setTimeout(resolve, 20));
				return none
					? app.users.create({ email, name: email, passwordHash: 'x', kind: 'facilitator' }, tx)
					: null;
			});
		const made = await Promise.all([firstVisitor('a@k.nl'), firstVisitor('b@k.nl')]);
		expect(made.filter(Boolean)).toHaveLength(1);
		expect(await app.users.count()).toBe(1);
	});

	it('answers the health check', async () => {
		const { app } = await setup();
		await expect(app.pingDatabase()).resolves.toBeUndefined();
	});
});

describe('the one SQLite connection', () => {
	const update = () => {
		const doc = new Y.Doc();
		doc.getMap('m').set('k', 'v');
		return Y.encodeStateAsUpdate(doc);
	};

	it('lets a board update that arrives while a unit of work awaits wait for it, and keeps it when the unit rolls back', async () => {
		const app = await createAppContext(base);
		apps.push(app);
		const events: string[] = [];
		let arrived: Promise<void> | undefined;
		const unit = app.atomically(async (tx) => {
			await app.updates.create('board/other.1', update(), tx);
			// The realtime server stores an update now, and binds its client id.
			arrived = Promise.all([
				app.updates.append('board/live.1', update()),
				app.clientOwners.bind('board/live.1', 7, 'participant:p1')
			]).then(() => void events.push('stored'));
			// Real I/O inside the unit: the event loop runs other work meanwhile.
			await new Promise((resolve) => setTimeout(resolve, 20));
			events.push('unit done');
			throw new Error('rolled back');
		});
		await expect(unit).rejects.toThrow('rolled back');
		await arrived;
		expect(events).toEqual(['unit done', 'stored']);
		expect((await app.updates.load('board/live.1')).updates).toHaveLength(1);
		expect((await app.clientOwners.load('board/live.1')).get(7)).toBe('participant:p1');
		expect((await app.updates.load('board/other.1')).updates).toHaveLength(0);
	});

	it('runs two units of work one after the other', async () => {
		const app = await createAppContext(base);
		apps.push(app);
		const order: string[] = [];
		const unit = (name: string) =>
			app.atomically(async (tx) => {
				order.push(`${name} begins`);
				await app.updates.create(`board/${name}.1`, update(), tx);
				await new Promise((resolve) => setTimeout(resolve, 10));
				order.push(`${name} ends`);
			});
		await Promise.all([unit('a'), unit('b')]);
		expect(order).toEqual(['a begins', 'a ends', 'b begins', 'b ends']);
	});
});
