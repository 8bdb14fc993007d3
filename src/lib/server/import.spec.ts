import { describe, expect, it } from 'vitest';
import { exportJson, parseImport } from './export/json.ts';
import { kampenWerkReport } from './export/fixtures.ts';
import { importReport } from './import.ts';
import { roundTrip } from './import-fixtures.ts';
import type { TrajectoryReport } from './export/report.ts';

const { setup, exportOf } = roundTrip();

describe('importReport', () => {
	it('export → import → export gives the same content', async () => {
		const { app, userId } = await setup();
		const first = await exportOf(app, await importReport(app, userId, kampenWerkReport()));
		const second = await exportOf(app, await importReport(app, userId, first));
		expect(second).toEqual(first);
		expect(await app.trajectories.listFor(userId)).toHaveLength(2);
	});

	it('keeps what was agreed: ambition, priority order, votes per perspective, links', async () => {
		const { app, userId } = await setup();
		const source = kampenWerkReport();
		const back = await exportOf(app, await importReport(app, userId, source));
		const [theme] = back.themes;
		const [original] = source.themes;
		expect(theme.ambition).toBe(original.ambition);
		expect(theme.outcomes.map((o) => [o.text, o.votesTotal, o.votesByPerspective])).toEqual(
			original.outcomes.map((o) => [o.text, o.votesTotal, o.votesByPerspective])
		);
		expect(theme.activities.map((a) => [a.text, a.owners, a.servesOutcomes])).toEqual(
			original.activities.map((a) => [a.text, a.owners, a.servesOutcomes])
		);
		expect(theme.indicators.map((i) => [i.name, i.baseline, i.target, i.linkedTo])).toEqual(
			original.indicators.map((i) => [i.name, i.baseline, i.target, i.linkedTo])
		);
		expect(back.organisations).toEqual(source.organisations);
		// The glossary: terms, agreed meaning, status, open question and readings per perspective.
		// `usedIn` is derived from the boards' cards, so it is compared export against export.
		const kept = (report: TrajectoryReport) =>
			report.glossary?.map((g) => ({
				term: g.term,
				definition: g.definition,
				status: g.status ?? 'agreed',
				note: g.note ?? '',
				readings: g.readings ?? []
			}));
		expect(kept(back)).toEqual(kept(source));
		expect(back.glossary?.length).toBeGreaterThan(0);
		expect(back.glossary?.find((g) => g.term === 'Bingo')).toMatchObject({
			status: 'open',
			note: 'Doel of middel?',
			readings: [
				{ perspective: 'gemeente', text: expect.stringContaining('middel') },
				{ perspective: 'aanbieder', text: expect.stringContaining('doel') }
			]
		});
		expect(back.glossary?.find((g) => g.term === 'Terugval')?.usedIn).toContainEqual({
			theme: 'Werk',
			card: 'Cijfers over terugval komen pas laat beschikbaar.'
		});
	});

	it('keeps the live glossary of a board: readings proposed in a session reach the JSON and come back', async () => {
		const { app, userId } = await setup();
		const trajectoryId = await importReport(app, userId, kampenWerkReport());
		const [term] = await app.trajectories.glossary.list(trajectoryId);
		// What the realtime server writes back when a participant proposes a reading on a board.
		expect(
			await app.trajectories.glossary.saveReading(trajectoryId, {
				id: 'live-reading',
				termId: term.id,
				perspective: 'inwoner',
				text: 'Dat ik weer terugval in oude gewoontes.',
				authorId: 'p-1',
				authorName: 'Henk',
				createdAt: Date.now()
			})
		).toBe(true);
		expect(
			await app.trajectories.glossary.saveTerm(trajectoryId, {
				...term,
				status: 'open',
				note: 'Wat telt mee?'
			})
		).toBe(true);
		const first = await exportOf(app, trajectoryId);
		const entry = first.glossary?.find((g) => g.term === term.term);
		expect(entry).toMatchObject({
			status: 'open',
			note: 'Wat telt mee?',
			readings: [{ perspective: 'inwoner', text: 'Dat ik weer terugval in oude gewoontes.' }]
		});
		// Names stay out of the file.
		expect(JSON.stringify(first.glossary)).not.toContain('Henk');
		const second = await exportOf(app, await importReport(app, userId, first));
		expect(second.glossary).toEqual(first.glossary);
	});

	it('writes nothing for a file that does not validate', async () => {
		const { app, userId } = await setup();
		const bad = JSON.parse(exportJson(kampenWerkReport()));
		bad.report.themes[0].outcomes[0].votesTotal = 999;
		const parsed = parseImport(bad);
		expect(parsed.ok).toBe(false);
		expect(await app.trajectories.listFor(userId)).toHaveLength(0);
	});
});
