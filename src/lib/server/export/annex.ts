/**
 * A per-organisation annex: one provider's part of what was agreed, for subsidy or results
 * agreements (outcomegerichte resultaatafspraken). Per theme: the ambition, the prioritised
 * outcomes the organisation's activities serve (with their place in the agreed order), its
 * activities, its indicators (owned by it, or measuring one of its activities) with measurement
 * moments, and the improvement actions it owns.
 */
import { m } from '../../paraglide/messages.js';
import {
	activitiesTable,
	actionsTable,
	formatDate,
	glossaryBlocks,
	indicatorsTable,
	landscape,
	languageTag,
	outcomesTable,
	type Block,
	type ExportDocument
} from './document.ts';
import { renderDocx } from './docx.ts';
import { renderMarkdown } from './markdown.ts';
import { renderOdt } from './odt.ts';
import { renderPdf, type PdfRenderOptions } from './pdf.ts';
import type { ExportOptions, ThemeReport, TrajectoryReport } from './report.ts';

function sameName(a: string, b: string): boolean {
	return a.trim().toLocaleLowerCase('nl') === b.trim().toLocaleLowerCase('nl');
}

/** What of `theme` belongs to `organisation`. */
export function organisationShare(theme: ThemeReport, organisation: string) {
	const activities = theme.activities.filter((a) =>
		a.owners.some((o) => sameName(o, organisation))
	);
	const activityTexts = new Set(activities.map((a) => a.text));
	const served = new Set(activities.flatMap((a) => a.servesOutcomes));
	const outcomes = theme.outcomes
		.map((outcome, i) => ({ outcome, rank: i + 1 }))
		.filter(({ outcome }) => served.has(outcome.text));
	const indicators = theme.indicators.filter(
		(ind) =>
			sameName(ind.owner, organisation) ||
			(ind.linkedTo !== null && activityTexts.has(ind.linkedTo))
	);
	const actions = theme.reflection.actions.filter((a) => sameName(a.owner, organisation));
	return { activities, outcomes, indicators, actions };
}

/** The organisations that have anything in the report (owners of activities, indicators, actions). */
export function annexOrganisations(report: TrajectoryReport): string[] {
	const names = [
		...report.organisations.map((o) => o.name),
		...report.themes.flatMap((t) => [
			...t.activities.flatMap((a) => a.owners),
			...t.indicators.map((i) => i.owner),
			...t.reflection.actions.map((a) => a.owner)
		])
	];
	const result: string[] = [];
	for (const name of names) {
		if (name.trim() === '' || result.some((r) => sameName(r, name))) continue;
		const share = report.themes.map((t) => organisationShare(t, name));
		if (share.some((s) => s.activities.length + s.indicators.length + s.actions.length > 0)) {
			result.push(name.trim());
		}
	}
	return result;
}

/** Lays out the annex for `organisation` (matched case-insensitively against owners). */
export function buildAnnexDocument(
	report: TrajectoryReport,
	organisation: string,
	options: ExportOptions = {}
): ExportDocument {
	const locale = options.locale ?? 'nl';
	const o = { locale };
	const title = m.export_annex_title({ organisation }, o);
	const blocks: Block[] = [
		{ kind: 'heading', level: 1, text: title },
		{
			kind: 'paragraph',
			text: m.export_annex_intro(
				{ organisation, title: report.title, municipality: report.municipality },
				o
			)
		},
		{ kind: 'paragraph', label: m.export_cover_municipality({}, o), text: report.municipality },
		{ kind: 'paragraph', label: m.export_cover_trajectory({}, o), text: report.title },
		{ kind: 'paragraph', label: m.export_cover_date({}, o), text: formatDate(report.date, locale) }
	];
	for (const theme of report.themes) {
		const share = organisationShare(theme, organisation);
		blocks.push({
			kind: 'heading',
			level: 2,
			text: m.export_theme_heading({ name: theme.name }, o)
		});
		blocks.push(
			theme.ambition
				? { kind: 'paragraph', label: m.export_ambition({}, o), text: theme.ambition }
				: { kind: 'paragraph', text: m.export_ambition_none({}, o), emphasis: true }
		);
		if (share.activities.length === 0 && share.indicators.length === 0) {
			blocks.push({
				kind: 'paragraph',
				text: m.export_annex_none({ organisation }, o),
				emphasis: true
			});
		}
		if (share.outcomes.length > 0) {
			blocks.push({
				kind: 'heading',
				level: 3,
				text: m.export_annex_outcomes({ organisation }, o)
			});
			blocks.push(outcomesTable(share.outcomes, locale));
		}
		if (share.activities.length > 0) {
			blocks.push({
				kind: 'heading',
				level: 3,
				text: m.export_annex_activities({ organisation }, o)
			});
			blocks.push(activitiesTable(share.activities, locale));
		}
		if (share.indicators.length > 0) {
			blocks.push(
				...landscape([
					{ kind: 'heading', level: 3, text: m.export_annex_indicators({ organisation }, o) },
					indicatorsTable(share.indicators, locale)
				])
			);
		}
		if (share.actions.length > 0) {
			blocks.push({ kind: 'heading', level: 3, text: m.export_annex_actions({ organisation }, o) });
			blocks.push(actionsTable(share.actions, locale));
		}
	}
	blocks.push(...glossaryBlocks(report, locale));
	return {
		title: `${title} - ${m.export_document_title({ title: report.title, municipality: report.municipality }, o)}`,
		subject: m.export_document_subject({}, o),
		language: languageTag(locale),
		locale,
		blocks
	};
}

/** The annex for `organisation` as Markdown. */
export function exportAnnexMarkdown(
	report: TrajectoryReport,
	organisation: string,
	options: ExportOptions = {}
): string {
	return renderMarkdown(buildAnnexDocument(report, organisation, options));
}

/** The annex for `organisation` as a Word document. */
export function exportAnnexDocx(
	report: TrajectoryReport,
	organisation: string,
	options: ExportOptions = {}
): Promise<Buffer> {
	return renderDocx(buildAnnexDocument(report, organisation, options));
}

/** The annex for `organisation` as a PDF. */
export function exportAnnexPdf(
	report: TrajectoryReport,
	organisation: string,
	options: ExportOptions & PdfRenderOptions = {}
): Promise<Buffer> {
	return renderPdf(buildAnnexDocument(report, organisation, options), options);
}

/** The annex for `organisation` as an OpenDocument text. */
export function exportAnnexOdt(
	report: TrajectoryReport,
	organisation: string,
	options: ExportOptions = {}
): Promise<Buffer> {
	return renderOdt(buildAnnexDocument(report, organisation, options));
}
