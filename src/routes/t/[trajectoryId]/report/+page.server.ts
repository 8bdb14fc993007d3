import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireTrajectory } from '$lib/server/guard';
import { buildReport } from '$lib/server/reports';
import { buildReportDocument } from '$lib/server/export/document';
import { getLocale } from '$lib/paraglide/runtime';

/** The report as a print-friendly page: the same document the DOCX and PDF are made from. */
export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { trajectory } = await requireTrajectory(
		locals,
		url,
		params.trajectoryId,
		'export.download'
	);
	const locale = getLocale();
	const report = await buildReport(locals.app, trajectory, {
		locale,
		themeId: url.searchParams.get('theme')
	});
	if (!report) error(404, { message: 'not-found' });
	return { trajectoryId: trajectory.id, document: buildReportDocument(report, { locale }) };
};
