import type { AppContext } from './context.ts';
import { boardIdOf } from './boards.ts';
import { trajectoryReport } from './export/from-board.ts';
import type { GlossaryEntry, Locale, TrajectoryReport } from './export/report.ts';
import { cardsUsing, type GlossaryTerm } from '../domain/glossary.ts';
import { visibleCards } from '../domain/cards.ts';
import type { BoardSnapshot } from '../domain/snapshot.ts';
import type { Trajectory } from './trajectories.ts';

/**
 * What the trajectory agreed so far, read from each theme's current board (mid-session included).
 * With `themeId`, only that theme. @returns null when `themeId` is not a theme of the trajectory.
 */
export async function buildReport(
	app: AppContext,
	trajectory: Trajectory,
	options: {
		locale: Locale;
		themeId?: string | null;
		includePeople?: boolean;
		/** "Wat is er veranderd sinds": ms; absent: each board's latest session; null: none. */
		since?: number | null;
	}
): Promise<TrajectoryReport | null> {
	const themes = options.themeId
		? trajectory.themes.filter((t) => t.id === options.themeId)
		: trajectory.themes;
	if (options.themeId && themes.length === 0) return null;
	const boards = await Promise.all(
		themes.map(async (theme) => {
			const cycle = await app.boards.currentCycle(theme.id);
			return {
				themeName: theme.name,
				cycle,
				snapshot: await app.boards.snapshot(boardIdOf(theme.id, cycle), theme.name)
			};
		})
	);
	const report = trajectoryReport(trajectory, boards, {
		date: app.now(),
		locale: options.locale,
		since: options.since
	});
	const glossary = glossaryReport(await app.trajectories.glossary.list(trajectory.id), boards);
	if (glossary.length) report.glossary = glossary;
	if (options.includePeople)
		report.people = await participantsOf(
			app,
			themes.map((t) => t.id)
		);
	return report;
}

/**
 * The glossary as the documents show it: each term with its status, agreed meaning, open question,
 * readings per perspective and the cards (of the exported themes) that use it.
 */
export function glossaryReport(
	terms: readonly GlossaryTerm[],
	boards: readonly { themeName: string; snapshot: BoardSnapshot }[]
): GlossaryEntry[] {
	return terms.map((term) => ({
		term: term.term,
		definition: term.meaning,
		status: term.status,
		note: term.note,
		readings: term.readings.map((r) => ({ perspective: r.perspective, text: r.text })),
		usedIn: boards.flatMap(({ themeName, snapshot }) =>
			cardsUsing(visibleCards(snapshot.cards), term).map((card) => ({
				theme: themeName,
				card: card.text
			}))
		)
	}));
}

/** Everyone who took part in a session on these themes, once each (by name and organisation). */
async function participantsOf(
	app: AppContext,
	themeIds: string[]
): Promise<NonNullable<TrajectoryReport['people']>> {
	const seen = new Map<string, NonNullable<TrajectoryReport['people']>[number]>();
	for (const themeId of themeIds)
		for (const session of await app.liveSessions.listForTheme(themeId))
			for (const p of await app.participants.list(session.id))
				seen.set(`${p.name}\u0000${p.organisation}`, {
					name: p.name,
					organisation: p.organisation,
					perspective: p.perspective
				});
	return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name, 'nl'));
}
