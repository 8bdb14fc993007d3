import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireTrajectory } from '$lib/server/guard';
import { buildReport } from '$lib/server/reports';
import { exportDocx } from '$lib/server/export/docx';
import { exportOdt } from '$lib/server/export/odt';
import { exportPdf } from '$lib/server/export/pdf';
import { exportMarkdown } from '$lib/server/export/markdown';
import { exportGlossaryCsv, exportIndicatorCsv } from '$lib/server/export/csv';
import { exportJson } from '$lib/server/export/json';
import { exportConsentCsv } from '$lib/server/export/consent';
import {
	annexOrganisations,
	exportAnnexDocx,
	exportAnnexMarkdown,
	exportAnnexOdt,
	exportAnnexPdf
} from '$lib/server/export/annex';
import type { ExportOptions, TrajectoryReport } from '$lib/server/export/report';
import {
	EXPORT_FORMATS,
	isAnnexFormat,
	isExportFormat,
	type AnnexFormat,
	type ExportFormat
} from '$lib/export-formats';
import { getLocale } from '$lib/paraglide/runtime';
import { parseSince } from '$lib/server/since';

type Body = string | Buffer;

/** A valid `since` day becomes the report's moment; otherwise the default (latest session). */
const sinceOption = (value: string | null) => {
	const since = parseSince(value);
	return since === null ? {} : { since };
};

/** One renderer per format: a format added to `EXPORT_FORMATS` does not compile until it has one. */
const RENDER: Record<
	ExportFormat,
	(report: TrajectoryReport, options: ExportOptions) => Body | Promise<Body>
> = {
	docx: exportDocx,
	odt: exportOdt,
	pdf: exportPdf,
	md: exportMarkdown,
	csv: exportIndicatorCsv,
	json: exportJson
};

const RENDER_ANNEX: Record<
	AnnexFormat,
	(report: TrajectoryReport, organisation: string, options: ExportOptions) => Body | Promise<Body>
> = {
	docx: exportAnnexDocx,
	odt: exportAnnexOdt,
	pdf: exportAnnexPdf,
	md: exportAnnexMarkdown
};

/** A file name without characters that trouble file systems or headers. */
const slug = (text: string) =>
	text
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^a-zA-Z0-9]+/g, '-')
		.replace(/^-|-$/g, '')
		.toLowerCase()
		.slice(0, 60) || 'kompas';

/**
 * GET /api/export/<trajectoryId>/<docx|odt|pdf|md|csv|json>
 *   ?theme=<themeId>            only that theme
 *   &organisation=<name>        the per-organisation annex (docx, odt, pdf, md)
 *   &people=1                   names of participants on the cover (facilitators only)
 *   &since=YYYY-MM-DD           "wat is er veranderd sinds" that day (default: the latest session)
 *   &table=consent              csv: the consent rounds instead of the indicator table
 *   &table=glossary             csv: the glossary (terms, readings per perspective) instead of
 *                               the indicators
 * Members of the trajectory only (others get 404); observers may download.
 */
export const GET: RequestHandler = async ({ locals, url, params }) => {
	const { trajectory, role } = await requireTrajectory(
		locals,
		url,
		params.trajectoryId,
		'export.download'
	);
	if (!isExportFormat(params.format)) error(404, { message: 'not-found' });
	const format = params.format;
	const locale = getLocale();
	const includePeople = url.searchParams.get('people') === '1' && role === 'facilitator';
	const report = await buildReport(locals.app, trajectory, {
		locale,
		themeId: url.searchParams.get('theme'),
		includePeople,
		...sinceOption(url.searchParams.get('since'))
	});
	if (!report) error(404, { message: 'not-found' });
	const options = { locale, includePeople };
	const organisation = url.searchParams.get('organisation');
	let body: Body;
	let name = `${slug(report.municipality)}-${slug(report.title)}-${report.date}`;
	if (url.searchParams.get('theme') && report.themes[0]) name += `-${slug(report.themes[0].name)}`;

	if (organisation !== null) {
		if (!annexOrganisations(report).includes(organisation)) error(404, { message: 'not-found' });
		if (!isAnnexFormat(format)) error(400, { message: 'annex-format' });
		name += `-bijlage-${slug(organisation)}`;
		body = await RENDER_ANNEX[format](report, organisation, options);
	} else if (format === 'csv' && url.searchParams.get('table') === 'consent') {
		body = exportConsentCsv(report, options);
		name += '-consent';
	} else if (format === 'csv' && url.searchParams.get('table') === 'glossary') {
		body = exportGlossaryCsv(report, options);
		name += '-begrippen';
	} else {
		body = await RENDER[format](report, options);
		if (format === 'csv') name += '-indicatoren';
	}

	return new Response(new Uint8Array(typeof body === 'string' ? Buffer.from(body) : body), {
		headers: {
			'content-type': EXPORT_FORMATS[format].contentType,
			'content-disposition': `attachment; filename="${name}.${format}"`,
			'cache-control': 'private, no-store',
			'x-content-type-options': 'nosniff'
		}
	});
};
