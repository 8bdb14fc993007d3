/**
 * The JSON round trip keeps what issue 11 items 3 and 4 add: cards of anonymous rounds come back
 * without an author (and export as "anoniem" again).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext, type AppContext } from './context.ts';
import { exportJson, parseImport } from './export/json.ts';
import { kampenWerkReport } from './export/fixtures.ts';
import { importReport } from './import.ts';
import { buildReport } from './reports.ts';
import { boardIdOf } from './boards.ts';
import type { TrajectoryReport } from './export/report.ts';

const apps: AppContext[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.close()));

function setup() {
	const app = createAppContext({ dataDir: ':memory:', secureCookies: false, origin: null });
	apps.push(app);
	const user = app.users.create({
		email: 'k@kampen.nl',
		name: 'K',
		passwordHash: 'x',
		kind: 'facilitator'
	});
	return { app, userId: user.id };
}

async function exportOf(app: AppContext, trajectoryId: string): Promise<TrajectoryReport> {
	const trajectory = app.trajectories.get(trajectoryId);
	if (!trajectory) throw new Error('trajectory missing');
	const report = await buildReport(app, trajectory, { locale: 'nl' });
	if (!report) throw new Error('report missing');
	const parsed = parseImport(exportJson(report));
	if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
	return parsed.report;
}

describe('JSON round trip of anonymous rounds', () => {
	it('brings anonymous cards back without an author, and exports them as anonymous again', async () => {
		const { app, userId } = setup();
		const source = kampenWerkReport();
		const theme = source.themes[0]!;
		theme.indicators[0]!.anonymous = true;
		theme.anonymousCards = [
			{ step: 'ambition', text: theme.situation[0]! },
			{ step: 'outcomes', text: theme.outcomes[1]!.text },
			{ step: 'measurement', text: theme.indicators[0]!.name }
		];
		const id = importReport(app, userId, source);
		const first = await exportOf(app, id);
		expect(first.themes[0]!.anonymousCards).toEqual(theme.anonymousCards);
		expect(first.themes[0]!.indicators[0]!.anonymous).toBe(true);
		expect(first.themes[0]!.indicators[1]!.anonymous).toBeUndefined();
		// On the board: no author at all on those cards.
		const trajectory = app.trajectories.get(id)!;
		const themeId = trajectory.themes[0]!.id;
		const snapshot = await app.boards.snapshot(boardIdOf(themeId, theme.cycle), theme.name);
		const card = snapshot.cards.find((c) => c.text === theme.outcomes[1]!.text)!;
		expect(card).toMatchObject({ authorId: '', authorName: '', perspective: null });
		const second = await exportOf(app, importReport(app, userId, first));
		expect(second).toEqual(first);
	});
});

describe('JSON round trip of the two-session history', () => {
	it('keeps "vastgesteld in bijeenkomst N" and "wat is er veranderd sinds …"', async () => {
		const { app, userId } = setup();
		const source = kampenWerkReport();
		const theme = source.themes[0]!;
		const [first, second, third] = theme.outcomes;
		theme.agreements = [
			{ step: 'ambition', text: theme.ambition!, session: 1 },
			{ step: 'outcomes', text: first!.text, session: 2 }
		];
		theme.changes = {
			since: '2026-12-01T09:00:00.000Z',
			session: 2,
			added: [{ step: 'outcomes', text: third!.text }],
			changed: [{ step: 'outcomes', text: second!.text }],
			agreed: [{ step: 'outcomes', text: first!.text }]
		};
		const exported = await exportOf(app, importReport(app, userId, source));
		expect(exported.themes[0]!.agreements).toEqual(theme.agreements);
		expect(exported.themes[0]!.changes).toEqual(theme.changes);
		const again = await exportOf(app, importReport(app, userId, exported));
		expect(again).toEqual(exported);
	});
});
