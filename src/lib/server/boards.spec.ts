import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { addCard, createBoardDoc } from '../board/schema/index.ts';
import { createAppContext, type AppContext } from './context.ts';
import { boardIdOf, deleteTrajectory } from './boards.ts';

const apps: AppContext[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.close()));

function setup() {
	const app = createAppContext({ dataDir: ':memory:', secureCookies: false, origin: null });
	apps.push(app);
	const user = app.users.create({
		email: 'f@k.nl',
		name: 'F',
		passwordHash: 'x',
		kind: 'facilitator'
	});
	const keep = app.trajectories.create(user.id, {
		municipality: 'Kampen',
		title: 'Blijft',
		description: '',
		partners: [],
		themes: ['zorg']
	});
	const doomed = app.trajectories.create(user.id, {
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
		app.boards.write(boardIdOf(theme.id, 1), doc);
		doc.destroy();
		app.updates.create(`private/${theme.id}.1/p1`, Y.encodeStateAsUpdate(new Y.Doc()));
		app.clientOwners.bind(`board/${theme.id}.1`, 1, 'participant:p1');
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
		const { app, keep, doomed } = setup();
		deleteTrajectory(app, doomed);
		expect(app.trajectories.get(doomed.id)).toBeNull();
		for (const theme of doomed.themes) {
			expect(await docsOf(app, theme.id)).toEqual([]);
			expect(app.clientOwners.load(`board/${theme.id}.1`).size).toBe(0);
		}
		const [kept] = keep.themes;
		expect(await docsOf(app, kept.id)).toHaveLength(2);
		expect(app.clientOwners.load(`board/${kept.id}.1`).size).toBe(1);
		expect((await app.boards.snapshot(boardIdOf(kept.id, 1), kept.name)).cards).toHaveLength(1);
	});

	it('is all or nothing: when deleting the rows fails, every document stays', async () => {
		const { app, doomed } = setup();
		const failing = {
			...app,
			trajectories: {
				...app.trajectories,
				delete: () => {
					throw new Error('disk full');
				}
			}
		};
		expect(() => deleteTrajectory(failing, doomed)).toThrow('disk full');
		expect(app.trajectories.get(doomed.id)).not.toBeNull();
		for (const theme of doomed.themes) {
			expect(await docsOf(app, theme.id)).toHaveLength(2);
			expect(app.clientOwners.load(`board/${theme.id}.1`).size).toBe(1);
		}
	});
});

describe('boards', () => {
	it('reads a board through the update store and names its theme', async () => {
		const { app, keep } = setup();
		const [theme] = keep.themes;
		const boardId = boardIdOf(theme.id, 1);
		expect(app.boards.info(boardId)).toEqual({
			boardId,
			themeId: theme.id,
			themeName: 'zorg',
			trajectoryId: keep.id,
			cycle: 1
		});
		expect(app.boards.info('unknown.1')).toBeNull();
		expect(await app.boards.currentCycle(theme.id)).toBe(1);
		expect(() => app.boards.write(boardId, new Y.Doc())).toThrow('board-exists');
		expect((await app.boards.snapshot(boardIdOf(theme.id, 2), 'zorg')).cards).toEqual([]);
	});
});
