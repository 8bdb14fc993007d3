import type { PageServerLoad } from './$types';
import { requireTrajectory } from '$lib/server/guard';
import { boardIdOf } from '$lib/server/boards';
import { boardProgress } from '$lib/domain/progress';
import { buildReport } from '$lib/server/reports';
import { annexOrganisations } from '$lib/server/export/annex';
import { getLocale } from '$lib/paraglide/runtime';

/** The trajectory overview: each theme's progress around the compass, and the downloads. */
export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { trajectory, role } = requireTrajectory(
		locals,
		url,
		params.trajectoryId,
		'trajectory.view'
	);
	const themes = await Promise.all(
		trajectory.themes.map(async (theme) => {
			const cycle = await locals.app.boards.currentCycle(theme.id);
			const progress = boardProgress(
				await locals.app.boards.snapshot(boardIdOf(theme.id, cycle), theme.name)
			);
			return {
				id: theme.id,
				name: theme.name,
				cycle,
				agreedSteps: progress.agreedSteps,
				ambition: progress.ambition,
				prioritisedOutcomes: progress.prioritisedOutcomes,
				activities: progress.activities,
				indicators: progress.indicators,
				checks: progress.openChecks.map((c) => ({
					id: c.id,
					messageKey: c.messageKey,
					params: c.params
				}))
			};
		})
	);
	const report = await buildReport(locals.app, trajectory, { locale: getLocale() });
	return {
		role,
		trajectory: {
			id: trajectory.id,
			title: trajectory.title,
			municipality: trajectory.municipality
		},
		themes,
		organisations: report ? annexOrganisations(report) : []
	};
};
