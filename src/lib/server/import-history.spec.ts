/**
 * The JSON round trip keeps what issue 11 items 3 and 4 add: cards of anonymous rounds come back
 * without an author (and export as "anoniem" again).
 */
import { describe, expect, it } from 'vitest';
import { exportJson, parseImport } from './export/json.ts';
import { exportMarkdown } from './export/markdown.ts';
import { kampenWerkReport } from './export/fixtures.ts';
import { importReport } from './import.ts';
import { roundTrip } from './import-fixtures.ts';
import { boardIdOf } from './boards.ts';
import type { TrajectoryReport } from './export/report.ts';

const { setup, exportOf } = roundTrip();

describe('JSON round trip of anonymous rounds', () => {
	it('brings anonymous cards back without an author, and exports them as anonymous again', async () => {
		const { app, userId } = await setup();
		const source = kampenWerkReport();
		const theme = source.themes[0]!;
		theme.indicators[0]!.anonymous = true;
		theme.anonymousCards = [
			{ step: 'ambition', text: theme.situation[0]! },
			{ step: 'outcomes', text: theme.outcomes[1]!.text },
			{ step: 'measurement', text: theme.indicators[0]!.name }
		];
		const id = await importReport(app, userId, source);
		const first = await exportOf(app, id);
		expect(first.themes[0]!.anonymousCards).toEqual(theme.anonymousCards);
		expect(first.themes[0]!.indicators[0]!.anonymous).toBe(true);
		expect(first.themes[0]!.indicators[1]!.anonymous).toBeUndefined();
		// On the board: no author at all on those cards.
		const trajectory = (await app.trajectories.get(id))!;
		const themeId = trajectory.themes[0]!.id;
		const snapshot = await app.boards.snapshot(boardIdOf(themeId, theme.cycle), theme.name);
		const card = snapshot.cards.find((c) => c.text === theme.outcomes[1]!.text)!;
		expect(card).toMatchObject({ authorId: '', authorName: '', perspective: null });
		const second = await exportOf(app, await importReport(app, userId, first));
		expect(second).toEqual(first);
	});
});

describe('JSON round trip of the two-session history', () => {
	it('keeps "vastgesteld in bijeenkomst N" and "wat is er veranderd sinds …"', async () => {
		const { app, userId } = await setup();
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
		const exported = await exportOf(app, await importReport(app, userId, source));
		expect(exported.themes[0]!.agreements).toEqual(theme.agreements);
		expect(exported.themes[0]!.changes).toEqual(theme.changes);
		const again = await exportOf(app, await importReport(app, userId, exported));
		expect(again).toEqual(exported);
	});
});

describe('JSON round trip of an anonymous vote', () => {
	it('keeps the groups the server counted and never splits them into perspectives', async () => {
		const { app, userId } = await setup();
		const source = kampenWerkReport();
		const theme = source.themes[0]!;
		// As an anonymous round counts it: the gemeente apart, everyone else together.
		for (const outcome of theme.outcomes) {
			const { gemeente, ...rest } = outcome.votesByPerspective;
			const other = Object.values(rest).reduce((a, b) => a + b, 0);
			outcome.votesByPerspective = {
				gemeente,
				aanbieder: 0,
				professional: 0,
				inwoner: 0,
				anders: 0
			};
			if (other) outcome.votesOtherPerspectives = other;
		}
		const exported = await exportOf(app, await importReport(app, userId, source));
		const votes = (report: TrajectoryReport) =>
			report.themes[0]!.outcomes.map((o) => [
				o.text,
				o.votesTotal,
				o.votesByPerspective,
				o.votesOtherPerspectives
			]);
		expect(votes(exported)).toEqual(votes(source));
		expect(exported.themes[0]!.outcomes.some((o) => o.votesOtherPerspectives)).toBe(true);
		const markdown = exportMarkdown(exported);
		const grouped = exported.themes[0]!.outcomes.find((o) => o.votesOtherPerspectives)!;
		expect(markdown).toContain(`Andere perspectieven: ${grouped.votesOtherPerspectives}`);
		// Votes that do not add up to the total are refused on import.
		const bad = JSON.parse(exportJson(exported));
		const outcomes: { votesOtherPerspectives?: number }[] = bad.report.themes[0].outcomes;
		outcomes.find((o) => o.votesOtherPerspectives)!.votesOtherPerspectives! += 1;
		expect(parseImport(bad).ok).toBe(false);
	});
});
