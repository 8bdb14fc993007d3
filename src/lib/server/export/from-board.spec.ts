import { describe, expect, it } from 'vitest';
import { kampenWerk } from '../../domain/kampen-werk.fixture.ts';
import { themeReportFromBoard, trajectoryReport } from './from-board.ts';
import { exportJson } from './json.ts';
import { exportMarkdown } from './markdown.ts';

function withRevealedVotes() {
	const board = kampenWerk();
	board.control.rounds = [{ id: 'r1', status: 'revealed', votesPerPerson: 3, createdAt: 1 }];
	board.control.results = {
		r1: { 'out-terugval': { gemeente: 2, aanbieder: 3 }, 'out-doorstroom': { inwoner: 1 } }
	};
	return board;
}

describe('themeReportFromBoard', () => {
	it('takes the agreed ambition, not a candidate', () => {
		const report = themeReportFromBoard(kampenWerk(), { name: 'werk', cycle: 1 });
		expect(report.ambition).toMatch(/^De beroepsbevolking van Kampen/);
		expect(report.situation).toHaveLength(2);
	});

	it('lists outcomes in the fixed priority order with votes per perspective', () => {
		const report = themeReportFromBoard(withRevealedVotes(), { name: 'werk', cycle: 1 });
		expect(report.outcomes.map((o) => o.text)).toEqual([
			'Over 3 jaar vallen minder inwoners terug in de uitkering',
			'Over 3 jaar stromen meer jongeren van de leerwerkplaats door naar werk of opleiding'
		]);
		expect(report.outcomes[0]).toMatchObject({
			votesTotal: 5,
			votesByPerspective: { gemeente: 2, aanbieder: 3, inwoner: 0, professional: 0, anders: 0 },
			horizonYears: 3
		});
		expect(report.outcomes[1].votesTotal).toBe(1);
	});

	it('keeps the groups of an anonymous round in every format: never a perspective split apart', () => {
		const board = kampenWerk();
		board.control.rounds = [
			{ id: 'r1', status: 'revealed', votesPerPerson: 3, createdAt: 1, anonymous: 'hidden' }
		];
		// As the server counted it: the gemeente apart, the rest together; then only totals.
		board.control.results = {
			r1: { 'out-terugval': { gemeente: 4, overig: 5 }, 'out-doorstroom': { overig: 2 } }
		};
		const report = themeReportFromBoard(board, { name: 'werk', cycle: 1 });
		expect(report.outcomes[0]).toMatchObject({
			votesTotal: 9,
			votesByPerspective: { gemeente: 4, aanbieder: 0, inwoner: 0, professional: 0, anders: 0 },
			votesOtherPerspectives: 5
		});
		const totalsOnly = {
			...board,
			control: { ...board.control, results: { r1: { 'out-terugval': { samen: 3 } } } }
		};
		const report2 = themeReportFromBoard(totalsOnly, { name: 'werk', cycle: 1 });
		expect(report2.outcomes[0]).toMatchObject({ votesTotal: 3, votesNotSplit: 3 });
		expect(Object.values(report2.outcomes[0]!.votesByPerspective).every((n) => n === 0)).toBe(true);
		const trajectory = trajectoryReport(
			{ municipality: 'Kampen', title: 'Werk', description: '', partners: [] },
			[{ themeName: 'werk', cycle: 1, snapshot: totalsOnly }],
			{ date: new Date(0), locale: 'nl' }
		);
		const md = exportMarkdown(trajectory);
		expect(md).toContain('Alle perspectieven samen: 3');
		expect(exportJson(trajectory)).toContain('"votesNotSplit": 3');
	});

	it('links activities to the outcomes they serve and flags the one that serves none', () => {
		const report = themeReportFromBoard(kampenWerk(), { name: 'werk', cycle: 1 });
		const maatje = report.activities.find((a) => a.text.startsWith('Een maatje'));
		expect(maatje).toMatchObject({ owners: ['De Kern'], isNew: true });
		expect(maatje?.servesOutcomes).toEqual([
			'Over 3 jaar vallen minder inwoners terug in de uitkering'
		]);
		const bingo = report.activities.find((a) => a.text.startsWith('Bingomiddag'));
		expect(bingo?.servesOutcomes).toEqual([]);
		expect(
			report.openChecks.some((c) => c.includes('Doel of middel?') && c.includes('Bingo'))
		).toBe(true);
	});

	it('puts indicators in the table with their level and moments', () => {
		const report = themeReportFromBoard(kampenWerk(), { name: 'werk', cycle: 1 });
		const [terugval, verhalen] = report.indicators;
		expect(terugval).toMatchObject({
			baseline: '18%',
			target: '12%',
			level: 'community',
			moments: ['nulmeting', 'jaarlijks'],
			linkedTo: 'Over 3 jaar vallen minder inwoners terug in de uitkering'
		});
		expect(verhalen).toMatchObject({ measureKind: 'vertellen', level: 'service' });
	});

	it('writes check texts in the requested language', () => {
		const en = themeReportFromBoard(kampenWerk(), { name: 'werk', cycle: 1 }, 'en');
		const nl = themeReportFromBoard(kampenWerk(), { name: 'werk', cycle: 1 }, 'nl');
		expect(en.openChecks).toHaveLength(nl.openChecks.length);
		expect(en.openChecks[0]).not.toBe(nl.openChecks[0]);
	});
});

describe('trajectoryReport', () => {
	it('carries the trajectory and its partner organisations onto the cover', () => {
		const report = trajectoryReport(
			{
				municipality: 'Gemeente Kampen',
				title: 'Sociaal domein',
				description: '',
				partners: [{ id: 'p', name: 'De Kern', perspective: 'aanbieder' }]
			},
			[{ themeName: 'werk', cycle: 1, snapshot: kampenWerk() }],
			{ date: new Date('2026-11-22T12:00:00Z') }
		);
		expect(report).toMatchObject({
			municipality: 'Gemeente Kampen',
			date: '2026-11-22',
			organisations: [{ name: 'De Kern', perspective: 'aanbieder' }]
		});
		expect(report.themes[0].name).toBe('werk');
		expect(report.people).toBeUndefined();
	});
});
