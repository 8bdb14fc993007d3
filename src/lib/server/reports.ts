import type { AppContext } from './context.ts';
import { boardIdOf } from './boards.ts';
import { trajectoryReport } from './export/from-board.ts';
import type { Locale, TrajectoryReport } from './export/report.ts';
import type { Trajectory } from './trajectories.ts';

/**
 * What the trajectory agreed so far, read from each theme's current board (mid-session included).
 * With `themeId`, only that theme. @returns null when `themeId` is not a theme of the trajectory.
 */
export async function buildReport(
	app: AppContext,
	trajectory: Trajectory,
	options: { locale: Locale; themeId?: string | null; includePeople?: boolean }
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
	const report = trajectoryReport(trajectory, boards, { date: app.now(), locale: options.locale });
	const glossary = app.trajectories.glossary.list(trajectory.id);
	if (glossary.length)
		report.glossary = glossary.map(({ term, definition }) => ({ term, definition }));
	if (options.includePeople)
		report.people = participantsOf(
			app,
			themes.map((t) => t.id)
		);
	return report;
}

/** Everyone who took part in a session on these themes, once each (by name and organisation). */
function participantsOf(
	app: AppContext,
	themeIds: string[]
): NonNullable<TrajectoryReport['people']> {
	const seen = new Map<string, NonNullable<TrajectoryReport['people']>[number]>();
	for (const themeId of themeIds)
		for (const session of app.liveSessions.listForTheme(themeId))
			for (const p of app.participants.list(session.id))
				seen.set(`${p.name}\u0000${p.organisation}`, {
					name: p.name,
					organisation: p.organisation,
					perspective: p.perspective
				});
	return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name, 'nl'));
}
