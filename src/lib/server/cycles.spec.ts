import { afterEach, describe, expect, it } from 'vitest';
import { createBoardDoc, readBoardSnapshot, addCard, markAgreed } from '../board/schema/index.ts';
import { kampenWerk } from '../domain/kampen-werk.fixture.ts';
import { createAppContext, type AppContext } from './context.ts';
import { boardIdOf } from './boards.ts';
import { nextCycleBoard, startNextCycle } from './cycles.ts';

const apps: AppContext[] = [];
afterEach(async () => {
	for (const app of apps.splice(0)) await app.close();
});

describe('nextCycleBoard', () => {
	it('carries the agreed ambition and the prioritised outcomes in order, nothing else', () => {
		const next = readBoardSnapshot(nextCycleBoard(kampenWerk(), 'werk.2', 'Werk'));
		// Cards carried in one millisecond have no order of their own: the order is the priority order.
		const texts = next.cards.map((c) => `${c.kind}: ${c.text}`).sort();
		expect(texts).toEqual([
			'ambition: De beroepsbevolking van Kampen doet mee naar eigen vermogen en voorziet duurzaam in een eigen inkomen',
			'outcome: Over 3 jaar stromen meer jongeren van de leerwerkplaats door naar werk of opleiding',
			'outcome: Over 3 jaar vallen minder inwoners terug in de uitkering'
		]);
		const ambition = next.cards.find((c) => c.kind === 'ambition');
		expect(next.control.agreed).toEqual([ambition?.id]);
		const textOf = (id: string) => next.cards.find((c) => c.id === id)?.text;
		expect(next.control.priorityOrder.map(textOf)).toEqual([
			'Over 3 jaar vallen minder inwoners terug in de uitkering',
			'Over 3 jaar stromen meer jongeren van de leerwerkplaats door naar werk of opleiding'
		]);
		expect(next.cards.find((c) => c.kind === 'outcome')?.horizonYears).toBe(3);
		expect(next.meta.boardId).toBe('werk.2');
	});
});

describe('startNextCycle', () => {
	async function setup() {
		const app = await createAppContext({ dataDir: ':memory:', secureCookies: false, origin: null });
		apps.push(app);
		const user = await app.users.create({
			email: 'f@k.nl',
			name: 'F',
			passwordHash: 'x',
			kind: 'facilitator'
		});
		const t = await app.trajectories.create(user.id, {
			municipality: 'Kampen',
			title: 'Werk',
			description: '',
			partners: [],
			themes: ['werk']
		});
		const theme = t.themes[0];
		const doc = createBoardDoc({ boardId: boardIdOf(theme.id, 1), themeName: 'werk' });
		const id = addCard(doc, {
			kind: 'ambition',
			text: 'Iedereen doet mee',
			author: { id: 'p1', name: 'A', perspective: 'gemeente' }
		});
		markAgreed(doc, id);
		await app.boards.write(boardIdOf(theme.id, 1), doc);
		return { app, theme: { id: theme.id, name: theme.name }, trajectoryId: t.id };
	}

	it('opens cycle 2 and leaves cycle 1 as it was', async () => {
		const { app, theme } = await setup();
		const first = await app.boards.snapshot(boardIdOf(theme.id, 1), theme.name);
		expect(await startNextCycle(app, theme)).toEqual({ ok: true, cycle: 2 });
		expect(await app.boards.currentCycle(theme.id)).toBe(2);
		expect(await app.boards.snapshot(boardIdOf(theme.id, 1), theme.name)).toEqual(first);
		const second = await app.boards.snapshot(boardIdOf(theme.id, 2), theme.name);
		expect(second.cards.map((c) => c.text)).toEqual(['Iedereen doet mee']);
		expect(await startNextCycle(app, theme)).toEqual({ ok: true, cycle: 3 });
	});

	it('is refused while a session runs on the current board', async () => {
		const { app, theme, trajectoryId } = await setup();
		const sessions = app.liveSessions;
		const session = await sessions.create({
			trajectoryId,
			themeId: theme.id,
			title: 'Bijeenkomst',
			date: '2026-11-23',
			agenda: []
		});
		await sessions.start(session.id);
		expect(await startNextCycle(app, theme)).toEqual({ ok: false, reason: 'session-running' });
		expect(await app.boards.currentCycle(theme.id)).toBe(1);
	});
});
