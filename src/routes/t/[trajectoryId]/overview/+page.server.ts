import type { PageServerLoad } from './$types';
import { requireTrajectory } from '$lib/server/guard';
import { boardIdOf } from '$lib/server/boards';
import { boardProgress } from '$lib/domain/progress';
import { consentOverview } from '$lib/domain/consent';
import { buildReport } from '$lib/server/reports';
import { annexOrganisations } from '$lib/server/export/annex';
import { getLocale } from '$lib/paraglide/runtime';
import { changesHeading } from '$lib/server/export/history';
import { parseSince } from '$lib/server/since';

/** The trajectory overview: each theme's progress around the compass, and the downloads. */
export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { trajectory, role } = await requireTrajectory(
		locals,
		url,
		params.trajectoryId,
		'trajectory.view'
	);
	const themes = await Promise.all(
		trajectory.themes.map(async (theme) => {
			const cycle = await locals.app.boards.currentCycle(theme.id);
			const snapshot = await locals.app.boards.snapshot(boardIdOf(theme.id, cycle), theme.name);
			const progress = boardProgress(snapshot);
			return {
				id: theme.id,
				name: theme.name,
				cycle,
				agreedSteps: progress.agreedSteps,
				ambition: progress.ambition,
				prioritisedOutcomes: progress.prioritisedOutcomes,
				activities: progress.activities,
				indicators: progress.indicators,
				consent: consentOverview(snapshot.consent),
				checks: progress.openChecks.map((c) => ({
					id: c.id,
					messageKey: c.messageKey,
					params: c.params
				}))
			};
		})
	);
	// "Wat is er veranderd sinds …": a chosen day, else each theme's latest session.
	const since = parseSince(url.searchParams.get('since'));
	const report = await buildReport(locals.app, trajectory, {
		locale: getLocale(),
		...(since !== null ? { since } : {})
	});
	const history = (report?.themes ?? []).map((theme) => ({
		agreements: theme.agreements ?? [],
		changes: theme.changes
			? { ...theme.changes, heading: changesHeading(theme.changes, getLocale()) }
			: null
	}));
	return {
		role,
		trajectory: {
			id: trajectory.id,
			title: trajectory.title,
			municipality: trajectory.municipality
		},
		themes: themes.map((theme, i) => ({ ...theme, history: history[i] ?? null })),
		since: since === null ? null : new Date(since).toISOString().slice(0, 10),
		organisations: report ? annexOrganisations(report) : []
	};
};
